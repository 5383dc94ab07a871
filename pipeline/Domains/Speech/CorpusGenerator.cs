using System.Diagnostics;
using System.Text;
using Lab.Stages.Domains.Speech;

namespace Lab.Pipeline.Domains.Speech;

/// <summary>
/// Makes the default speech corpus: sentences from the shipped English text, spoken by every installed synthetic voice
/// (<see cref="Voice.Inventory"/>), speed-perturbed and noised, as 16 kHz WAV plus train/val/test manifests. The folder
/// is named by the hash of everything that determines the audio, so it is reused when present; files are written
/// atomically and skipped when they exist, so a killed generation resumes; utterances are synthesised in parallel.
/// </summary>
public static class CorpusGenerator
{
    /// <summary>The shipped text the sentences come from, relative to the repository root.</summary>
    public const string SentenceSource = "data/lm/gutenberg.txt.gz";

    /// <summary>Where corpora are generated, relative to the repository root.</summary>
    public const string Root = "artifacts/corpora";

    /// <summary>What generation did, for the summary.</summary>
    public sealed record Outcome(string Dir, bool Reused, int Generated, double Seconds, double AudioHours);

    /// <summary>The corpus folder for a spec (generated now if missing), or a problem naming what to install.</summary>
    public static Either<Problem, Outcome> Ensure(CorpusSpec spec, string? root, int threads, Reporter report)
    {
        if (!Synthesiser.Installed("sox")) return new Problem("sox is not installed (needed to resample the synthesised speech)", "apt-get install sox");
        var engines = Synthesiser.Engines();
        if (engines.Count == 0)
            return new Problem("no speech synthesiser is installed, so the default speech corpus cannot be generated",
                $"apt-get install {string.Join(' ', Voice.Packages.Values)} sox — or give real speech with --data manifest.jsonl");
        var textPath = Path.Combine(Paths.RepoRoot(), SentenceSource);
        return from docs in TextCorpus.Load(textPath)
               let sentences = Transcripts.Sentences(string.Join("\n\n", docs.Map(d => d.Text)), spec.MinWords, spec.MaxWords)
               let voices = Voice.Inventory(engines)
               from plan in CorpusPlan.Make(sentences, voices, spec).MapLeft(p => p with { What = $"{textPath}: {p.What}" })
               from outcome in Generate(spec, engines, voices.Count, sentences, plan, root ?? Path.Combine(Paths.RepoRoot(), Root), threads, report)
               select outcome;
    }

    static Either<Problem, Outcome> Generate(CorpusSpec spec, List<string> engines, int voices, List<string> sentences, Seq<UtteranceSpec> plan,
        string root, int threads, Reporter report)
    {
        var key = $"{spec.Key}|engines:{string.Join(',', engines)}|versions:{Synthesiser.Versions(engines)}|sentences:{Hashing.Sha256(string.Join('\n', sentences))}";
        var dir = Path.Combine(root, $"speech-{Hashing.Sha256(key)[..12]}");
        var done = Path.Combine(dir, "corpus.json");
        if (File.Exists(done) && new[] { "train", "val", "test" }.All(s => File.Exists(Path.Combine(dir, $"{s}.jsonl"))))
        {
            report.Line($"speech corpus: reusing {dir}");
            return new Outcome(dir, true, 0, 0, double.NaN);
        }
        // each process its own temporary folder: two runs making the same corpus at once (two studies, two users) write
        // the same deterministic files by atomic renames, and neither deletes the other's work in progress
        var wavDir = Path.Combine(dir, "wav"); var tmpDir = Path.Combine(dir, $"tmp-{Environment.ProcessId}");
        Directory.CreateDirectory(wavDir); Directory.CreateDirectory(tmpDir);
        var missing = plan.Filter(u => !File.Exists(Path.Combine(wavDir, $"{u.Id}.wav"))).ToList();
        var groups = missing.Where(u => u.Voice.Engine != "festival").Select(u => (IReadOnlyList<UtteranceSpec>)[u])
            .Concat(missing.Where(u => u.Voice.Engine == "festival").GroupBy(u => u.Voice.Name)
                .SelectMany(g => g.Chunk(40).Select(c => (IReadOnlyList<UtteranceSpec>)c)))
            .ToList();
        report.Line($"speech corpus: {plan.Count:N0} utterances ({spec.Train:N0} train, {spec.Val:N0} val, {spec.Test:N0} test) from {sentences.Count:N0} sentences, " +
                    $"{voices} voices of {string.Join(", ", engines)}; {missing.Count:N0} to synthesise into {dir}");
        var clock = Stopwatch.StartNew();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        int finished = 0;
        Parallel.ForEach(groups, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, g =>
        {
            try { Synthesiser.Run(g, wavDir, tmpDir); }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception) { failures.Add($"{g[0].Id} ({g[0].Voice.Id}): {e.Message}"); }
            var n = Interlocked.Add(ref finished, g.Count);
            if (n % 1000 < g.Count) report.Line($"speech corpus: {n:N0}/{missing.Count:N0} synthesised ({clock.Elapsed.TotalSeconds:F0} s)");
        });
        if (!failures.IsEmpty)
            return new Problem($"{dir}: {failures.Count} synthesis jobs failed, first: {failures.First()}",
                "the utterances made so far are kept; fix the synthesiser and run again to make the rest");
        var seconds = clock.Elapsed.TotalSeconds;
        double audio = 0;
        foreach (var split in new[] { "train", "val", "test" })
        {
            var sb = new StringBuilder();
            foreach (var u in plan.Filter(u => u.Split == split))
            {
                var rel = Path.Combine("wav", $"{u.Id}.wav");
                double duration = (new FileInfo(Path.Combine(dir, rel)).Length - 44) / 2.0 / 16000;
                audio += duration;
                sb.AppendLine(Manifest.Line(rel, duration, u.Text, [("voice", u.Voice.Id), ("held_out_voice", u.Voice.HeldOut ? "yes" : "no")]));
            }
            AtomicFile.WriteAllText(Path.Combine(dir, $"{split}.jsonl"), sb.ToString());
        }
        AtomicFile.WriteAllText(done, JsonSerializer.Serialize(new
        {
            recipe = key, engines, utterances = plan.Count, train = spec.Train, val = spec.Val, test = spec.Test,
            audio_hours = Math.Round(audio / 3600, 4), generation_seconds = Math.Round(seconds, 1), threads
        }, new JsonSerializerOptions { WriteIndented = true }));
        try { Directory.Delete(tmpDir, true); } catch (IOException) { }
        report.Line($"speech corpus: {missing.Count:N0} utterances synthesised in {seconds:F0} s ({missing.Count / Math.Max(seconds, 1e-9):F0}/s), {audio / 3600:F2} h of audio in all");
        return new Outcome(dir, false, missing.Count, seconds, audio / 3600);
    }
}
