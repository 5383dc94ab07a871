using System.Diagnostics;
using Lab.Stages.Domains.Speech;

namespace Lab.Pipeline.Domains.Speech;

/// <summary>
/// Runs Debian's speech synthesisers (espeak-ng, flite, festival) and sox: text → engine WAV → sox speed perturbation
/// and resampling to 16 kHz mono float → seeded white noise at the utterance's SNR, peak level 0.7 → 16-bit PCM WAV.
/// The only part of the speech domain that starts processes.
/// </summary>
public static class Synthesiser
{
    /// <summary>Whether an executable is on PATH.</summary>
    public static bool Installed(string exe)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, exe)));

    /// <summary>The engines installed here (festival needs its voices too).</summary>
    public static List<string> Engines()
    {
        var e = new List<string>();
        if (Installed("espeak-ng")) e.Add("espeak-ng");
        if (Installed("flite")) e.Add("flite");
        if (Installed("festival") && Directory.Exists("/usr/share/festival/voices/english/kal_diphone")) e.Add("festival");
        return e;
    }

    /// <summary>The version lines of the engines and sox (part of the corpus's identity: another version speaks differently).</summary>
    public static string Versions(IEnumerable<string> engines)
        => string.Join("; ", engines.Append("sox").Select(e =>
        {
            try
            {
                var psi = new ProcessStartInfo(e) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                psi.ArgumentList.Add("--version");
                using var p = Process.Start(psi)!;
                var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
                p.WaitForExit();
                var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("version", StringComparison.OrdinalIgnoreCase) || l.Contains(" v", StringComparison.Ordinal) || l.Contains(':')) ?? "";
                return $"{e} {System.Text.RegularExpressions.Regex.Replace(line, @"\s+Data at:.*$", "")}";
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException) { return $"{e} ?"; }
        }));

    /// <summary>Synthesises a group of utterances (one, or a batch of one festival voice) into final WAV files in
    /// <paramref name="wavDir"/>, through temporary files in <paramref name="tmpDir"/>.</summary>
    public static void Run(IReadOnlyList<UtteranceSpec> group, string wavDir, string tmpDir)
    {
        var raw = group.Select(u => Path.Combine(tmpDir, $"{u.Id}.engine.wav")).ToArray();
        if (group[0].Voice.Engine == "festival") Festival(group, raw, tmpDir);
        else
            for (int i = 0; i < group.Count; i++)
            {
                var u = group[i];
                if (u.Voice.Engine == "espeak-ng")
                    Exec("espeak-ng", ["-v", u.Voice.Name, "-s", $"{u.Rate}", "-p", $"{u.Pitch}", "-w", raw[i], u.Text]);
                else
                    Exec("flite", ["-voice", u.Voice.Name, "--setf", $"duration_stretch={Stretch(u)}", "-t", u.Text, "-o", raw[i]]);
            }
        for (int i = 0; i < group.Count; i++)
        {
            var u = group[i];
            var f32 = Path.Combine(tmpDir, $"{u.Id}.f32");
            Exec("sox", ["-D", "-q", raw[i], "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", "16000", f32,
                "speed", u.Speed.ToString("R", CultureInfo.InvariantCulture)]);
            var bytes = File.ReadAllBytes(f32);
            var samples = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
            Io.AtomicFile.WriteAllBytes(Path.Combine(wavDir, $"{u.Id}.wav"), Wav.Write(16000, Degrade(samples, u.SnrDb, u.NoiseSeed)));
            File.Delete(f32); File.Delete(raw[i]);
        }
    }

    static string Stretch(UtteranceSpec u) => Math.Round(170.0 / u.Rate, 3).ToString("R", CultureInfo.InvariantCulture);

    static void Festival(IReadOnlyList<UtteranceSpec> group, string[] raw, string tmpDir)
    {
        var script = Path.Combine(tmpDir, $"{group[0].Id}.scm");
        using (var w = new StreamWriter(script))
        {
            w.WriteLine($"(voice_{group[0].Voice.Name})");
            for (int i = 0; i < group.Count; i++)
            {
                w.WriteLine($"(Parameter.set 'Duration_Stretch {Stretch(group[i])})");
                w.WriteLine($"(utt.save.wave (utt.synth (Utterance Text \"{group[i].Text}\")) \"{raw[i]}\" 'riff)");
            }
        }
        Exec("festival", ["-b", script]);
        File.Delete(script);
    }

    /// <summary>Peak level 0.7, then white Gaussian noise at the SNR (seeded, so the file is the same every time).</summary>
    public static float[] Degrade(float[] samples, double snrDb, int seed)
    {
        var peak = samples.Length == 0 ? 0 : samples.Max(MathF.Abs);
        float gain = peak > 0 ? 0.7f / peak : 1;
        double power = 0;
        for (int i = 0; i < samples.Length; i++) { samples[i] *= gain; power += samples[i] * (double)samples[i]; }
        power /= Math.Max(1, samples.Length);
        double sigma = Math.Sqrt(power / Math.Pow(10, snrDb / 10));
        var rng = new Random(seed);
        for (int i = 0; i < samples.Length; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            samples[i] = Math.Clamp(samples[i] + (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)), -1f, 1f);
        }
        return samples;
    }

    static void Exec(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{exe} could not be started");
        var errTask = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var err = errTask.Result;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', args.Take(4))} … failed with exit code {p.ExitCode}: {err.Trim()}");
    }
}
