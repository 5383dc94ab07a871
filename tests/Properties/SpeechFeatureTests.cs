using System.Diagnostics;
using System.Globalization;
using Lab.Stages.Domains.Speech;

namespace Lab.Tests;

/// <summary>The speech building blocks: log-mel features against an independent numpy computation, edit distances,
/// WAV reading. (The speech domain itself is not built yet.)</summary>
public class SpeechFeatureTests
{
    [Fact]
    public void Log_mel_features_match_an_independent_numpy_implementation()
    {
        var rng = new Random(7);
        var audio = Enumerable.Range(0, 4000).Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / 16000.0) + 0.05 * (rng.NextDouble() - 0.5))).ToArray();
        var ours = LogMel.Compute(audio, out int frames);
        var dir = Path.Combine(Path.GetTempPath(), $"lab-mel-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var input = Path.Combine(dir, "audio.txt");
        File.WriteAllLines(input, audio.Select(a => a.ToString("R", CultureInfo.InvariantCulture)));
        var script = string.Join("\n",
            "import numpy as np, sys",
            "x = np.loadtxt(sys.argv[1], dtype=np.float64)",
            "sr, win, hop, nfft, nm = 16000, 400, 160, 512, 80",
            "w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)",
            "n = 1 + (len(x) - win) // hop",
            "frames = np.stack([x[t*hop:t*hop+win] * w for t in range(n)])",
            "p = np.abs(np.fft.rfft(frames, nfft)) ** 2",
            "mel = lambda f: 2595 * np.log10(1 + f / 700)",
            "hz = lambda m: 700 * (10 ** (m / 2595) - 1)",
            "edges = hz(np.linspace(0, mel(sr / 2), nm + 2))",
            "f = np.arange(nfft // 2 + 1) * sr / nfft",
            "fb = np.array([np.maximum(0, np.minimum((f - edges[m]) / (edges[m+1] - edges[m]), (edges[m+2] - f) / (edges[m+2] - edges[m+1]))) for m in range(nm)])",
            "out = np.log(np.maximum(p @ fb.T, 1e-10))",
            "print(out.shape[0]); print(' '.join(repr(float(v)) for v in out.ravel()))");
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(script); psi.ArgumentList.Add(input);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd(); var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"numpy reference failed (Debian's python3-numpy is needed): {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(frames, int.Parse(lines[0]));
        var reference = lines[1].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(reference.Length, ours.Length);
        double worst = ours.Zip(reference, (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(b))).Max();
        Assert.True(worst < 1e-4, $"largest relative difference {worst}");
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("same", "same", 0)]
    public void Character_edit_distances_of_known_cases(string a, string b, int expected)
        => Assert.Equal(expected, EditDistance.Of(a.ToArray(), b.ToArray()));

    [Fact]
    public void Error_rates_count_edits_over_reference_length()
    {
        Assert.Equal(1.0 / 3, EditDistance.Wer(["the cat sat"], ["the cat sits"]), 12);
        Assert.Equal(2.0 / 6, EditDistance.Wer(["a b c", "d e f g"], ["a x c", "d e f"]), 12);   // one substitution, one insertion, six reference words
        Assert.Equal(3.0 / 7, EditDistance.Cer(["sitting"], ["kitten!"]) , 12);
    }

    [Fact]
    public void Wav_round_trips_16_bit_pcm_and_refuses_other_formats_with_a_conversion_hint()
    {
        var samples = Enumerable.Range(0, 100).Select(i => (float)Math.Sin(i / 5.0) * 0.5f).ToArray();
        var (rate, back) = Wav.Parse("x.wav", Wav.Write(16000, samples)).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(16000, rate);
        Assert.True(samples.Zip(back, (a, b) => Math.Abs(a - b)).Max() < 1e-4);
        var bytes = Wav.Write(16000, samples);
        bytes[34] = 8;   // claim 8-bit samples
        var err = Wav.Parse("eight.wav", bytes).Match(_ => "", e => e.ToString());
        Assert.Contains("eight.wav: 8-bit audio", err);
        Assert.Contains("sox", err);
        Assert.Contains("not a RIFF/WAVE", Wav.Parse("mp3.wav", "ID3..."u8).Match(_ => "", e => e.ToString()));
    }
}
