using System.Security.Cryptography;
using System.Text;
using Lab.Stages.Domains.Speech;

namespace Lab.Pipeline.Domains.Speech;

/// <summary>
/// Reads a speech corpus into features: a folder with train.jsonl (and val.jsonl, test.jsonl, each may be gzipped; a missing one is cut
/// from training by the seed), or one manifest file whose validation and test splits are cut by the seed. Audio must be
/// 16 kHz 16-bit PCM WAV; features are computed in parallel. Training comes out in its seeded shard order.
/// </summary>
public static class SpeechFiles
{
    /// <summary>The manifests of each split (null: cut from training).</summary>
    public sealed record Layout(string Train, string? Val, string? Test);

    /// <summary>Where the manifests of a --data path are, or a problem naming the path.</summary>
    public static Either<Problem, Layout> Locate(string path)
    {
        if (File.Exists(path)) return new Layout(path, null, null);
        if (!Directory.Exists(path)) return new Problem($"{path}: no such manifest file or corpus folder", "give a NeMo JSON-lines manifest or a folder with train.jsonl");
        string? Opt(string n) => new[] { n, n + ".gz" }.Select(f => Path.Combine(path, f)).FirstOrDefault(File.Exists);
        return Opt("train.jsonl") is { } train ? new Layout(train, Opt("val.jsonl"), Opt("test.jsonl"))
            : new Problem($"{path}: the folder has no train.jsonl", "a speech corpus folder holds train.jsonl and optionally val.jsonl and test.jsonl");
    }

    static Either<Problem, Seq<ManifestEntry>> ReadManifest(string path)
        => InputFile.ReadAllText(path).Bind(text => Manifest.Parse(path, Path.GetDirectoryName(Path.GetFullPath(path))!, text));

    /// <summary>The entries of each split: given ones as they are, missing ones cut (seeded) from training, each
    /// taking <paramref name="share"/> of it (at least one utterance).</summary>
    public static Either<Problem, (ManifestEntry[] Train, ManifestEntry[] Val, ManifestEntry[] Test)> Splits(Layout layout, double share, long seed)
        => from train in ReadManifest(layout.Train)
           from val in layout.Val is null ? Right<Problem, Seq<ManifestEntry>>(Seq<ManifestEntry>()) : ReadManifest(layout.Val)
           from test in layout.Test is null ? Right<Problem, Seq<ManifestEntry>>(Seq<ManifestEntry>()) : ReadManifest(layout.Test)
           from cut in Cut(layout, train.ToArray(), val.ToArray(), test.ToArray(), share, seed)
           select cut;

    static Either<Problem, (ManifestEntry[], ManifestEntry[], ManifestEntry[])> Cut(Layout layout, ManifestEntry[] train, ManifestEntry[] val, ManifestEntry[] test, double share, long seed)
    {
        int take = Math.Max(1, (int)Math.Round(train.Length * share));
        int needed = (layout.Val is null ? take : 0) + (layout.Test is null ? take : 0);
        if (train.Length - needed < 2) return new Problem($"{layout.Train}: {train.Length} utterances are too few to cut validation and test from", "give more, or val.jsonl and test.jsonl beside train.jsonl");
        var order = Shards.Permutation(train.Length, seed);
        int at = 0;
        ManifestEntry[] Take() { var r = order[at..(at + take)].Select(i => train[i]).ToArray(); at += take; return r; }
        if (layout.Val is null) val = Take();
        if (layout.Test is null) test = Take();
        return (order[at..].Select(i => train[i]).ToArray(), val, test);
    }

    /// <summary>Reads the audio of every entry and computes its normalised features, in parallel; training first in its
    /// seeded order. A problem names the first file that is missing or not 16 kHz 16-bit PCM WAV. Without
    /// <paramref name="trainFeatures"/> the training audio is only hashed (for the fingerprint) and its utterances have
    /// no features: what a re-evaluation needs.</summary>
    public static Either<Problem, SpeechData> Prepare(ManifestEntry[] train, ManifestEntry[] val, ManifestEntry[] test, long seed, int threads, bool trainFeatures = true)
    {
        var order = Shards.Permutation(train.Length, seed ^ 0x5eec4);
        var trainOrdered = order.Select(i => train[i]).ToArray();
        var all = trainOrdered.Concat(val).Concat(test).ToArray();
        var features = new (Half[] F, int Frames, string Sha)[all.Length];
        var problems = new Problem?[all.Length];
        Parallel.For(0, all.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            var e = all[i];
            byte[] bytes;
            try { bytes = File.ReadAllBytes(e.AudioPath); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { problems[i] = new Problem($"{e.AudioPath}: cannot be read ({ex.Message})", "check the manifest's audio_filepath"); return; }
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!trainFeatures && i < trainOrdered.Length) { features[i] = ([], 0, sha); return; }
            var parsed = Wav.Parse(e.AudioPath, bytes);
            if (parsed.IsLeft) { problems[i] = parsed.Match(_ => null!, p => p); return; }
            var (rate, samples) = parsed.Match(r => r, _ => default);
            if (rate != LogMel.SampleRate) { problems[i] = new Problem($"{e.AudioPath}: {rate} Hz audio; features need {LogMel.SampleRate} Hz", $"convert it, e.g. sox input.wav -r {LogMel.SampleRate} -c 1 -b 16 output.wav"); return; }
            var f = LogMel.Compute(samples, out int frames);
            LogMel.Normalise(f, frames);
            features[i] = (f.Select(v => (Half)v).ToArray(), frames, sha);
        });
        if (problems.FirstOrDefault(p => p is not null) is { } first) return first;
        var vocab = CharVocab.Of(trainOrdered.Select(e => Transcripts.Normalise(e.Text)));
        if (vocab.Chars.Length == 0) return new Problem("the training transcripts are all empty", "check the manifest's text fields");
        Utterance U(int i) { var t = Transcripts.Normalise(all[i].Text); return new Utterance(t, vocab.Encode(t), features[i].F, features[i].Frames); }
        var sets = new[] { (0, trainOrdered.Length), (trainOrdered.Length, val.Length), (trainOrdered.Length + val.Length, test.Length) }
            .Select(r => new SpeechSet(Enumerable.Range(r.Item1, r.Item2).Select(U).ToArray())).ToArray();
        var fp = new StringBuilder(SpeechData.Version);
        for (int i = 0; i < all.Length; i++) fp.Append('\n').Append(i < trainOrdered.Length ? "train" : i < trainOrdered.Length + val.Length ? "val" : "test")
            .Append('\t').Append(features[i].Sha).Append('\t').Append(Transcripts.Normalise(all[i].Text));
        return new SpeechData(sets[0], sets[1], sets[2], vocab, Hashing.Sha256(fp.ToString())[..16]);
    }
}
