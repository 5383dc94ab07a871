using LanguageExt;
namespace Lab.Stages.Domains.Speech;

/// <summary>How big the synthesised corpus is and how it varies; part of the corpus's identity (its cache key).</summary>
/// <param name="Train">Training utterances.</param>
/// <param name="Val">Validation utterances (held-out sentences).</param>
/// <param name="Test">Test utterances (held-out sentences).</param>
/// <param name="HeldOutShare">Share of validation and test utterances spoken by held-out voices.</param>
/// <param name="MinWords">Shortest sentence, in words.</param>
/// <param name="MaxWords">Longest sentence, in words.</param>
/// <param name="Seed">Seed of sentence choice, voices, prosody, speed and noise.</param>
public sealed record CorpusSpec(int Train, int Val, int Test, double HeldOutShare, int MinWords, int MaxWords, long Seed)
{
    /// <summary>Speed perturbation range (sox speed factor: tempo and pitch together).</summary>
    public const double MinSpeed = 0.9, MaxSpeed = 1.1;
    /// <summary>White-noise signal-to-noise range in dB.</summary>
    public const double MinSnr = 15, MaxSnr = 40;
    /// <summary>Version of the generation recipe (bumped when the audio it makes changes).</summary>
    public const string Recipe = "synth-v1";

    /// <summary>The canonical string hashed into the corpus's folder name.</summary>
    public string Key => $"{Recipe}|train{Train}|val{Val}|test{Test}|held{HeldOutShare:R}|words{MinWords}-{MaxWords}|speed{MinSpeed}-{MaxSpeed}|snr{MinSnr}-{MaxSnr}|seed{Seed}";
}

/// <summary>One utterance to synthesise: everything that determines its audio.</summary>
/// <param name="Id">File stem, e.g. train-000042.</param>
/// <param name="Split">train, val or test.</param>
/// <param name="Text">What is said (normalised; also the transcript).</param>
/// <param name="Voice">Who says it.</param>
/// <param name="Rate">espeak-ng words per minute (other engines: their own rate).</param>
/// <param name="Pitch">espeak-ng pitch 0–99 (other engines: their own pitch).</param>
/// <param name="Speed">sox speed factor.</param>
/// <param name="SnrDb">Signal-to-noise ratio of the added white noise.</param>
/// <param name="NoiseSeed">Seed of the noise.</param>
public sealed record UtteranceSpec(string Id, string Split, string Text, Voice Voice, int Rate, int Pitch, double Speed, double SnrDb, int NoiseSeed);

/// <summary>Draws the utterances of a synthesised corpus from sentences and voices: a pure, seeded function.</summary>
public static class CorpusPlan
{
    /// <summary>
    /// Validation and test take the first sentences of a seeded shuffle (so their sentences never occur in training),
    /// training the rest, reused round-robin when there are fewer sentences than utterances (a sentence then returns
    /// with a different voice, speed and noise). A voice is drawn by engine first (each installed engine equally
    /// likely), then among that engine's voices, so espeak-ng's hundreds of variants do not drown the few recorded
    /// voices of flite and festival. Training voices are drawn from the voices not held out; validation
    /// and test voices from the held-out ones with probability <see cref="CorpusSpec.HeldOutShare"/>.
    /// </summary>
    public static Either<Problem, Seq<UtteranceSpec>> Make(IReadOnlyList<string> sentences, Seq<Voice> voices, CorpusSpec spec)
    {
        int heldSentences = spec.Val + spec.Test;
        if (sentences.Count < heldSentences + 100)
            return new Problem($"{sentences.Count:N0} usable sentences; validation and test need {heldSentences:N0} plus at least 100 for training",
                "use a longer text or a smaller preset");
        var seen = voices.Filter(v => !v.HeldOut).ToArray();
        var held = voices.Filter(v => v.HeldOut).ToArray();
        if (seen.Length == 0) return new Problem("no training voices: every installed voice is held out", "install espeak-ng or flite");
        if (held.Length == 0) held = seen;
        var rng = new Random(unchecked((int)(spec.Seed * 7919 + 17)));
        var order = sentences.ToArray();
        rng.Shuffle(order);
        var list = new List<UtteranceSpec>(spec.Train + heldSentences);
        UtteranceSpec Draw(string id, string split, string text, Voice[] pool)
        {
            var engines = pool.Select(v => v.Engine).Distinct().ToArray();
            var engine = engines[rng.Next(engines.Length)];
            var ofEngine = pool.Where(v => v.Engine == engine).ToArray();
            var v = ofEngine[rng.Next(ofEngine.Length)];
            return new UtteranceSpec(id, split, text, v, 150 + rng.Next(41), 30 + rng.Next(41),
                Math.Round(CorpusSpec.MinSpeed + rng.NextDouble() * (CorpusSpec.MaxSpeed - CorpusSpec.MinSpeed), 3),
                Math.Round(CorpusSpec.MinSnr + rng.NextDouble() * (CorpusSpec.MaxSnr - CorpusSpec.MinSnr), 1), rng.Next());
        }
        for (int i = 0; i < spec.Val; i++)
            list.Add(Draw($"val-{i:D6}", "val", order[i], rng.NextDouble() < spec.HeldOutShare ? held : seen));
        for (int i = 0; i < spec.Test; i++)
            list.Add(Draw($"test-{i:D6}", "test", order[spec.Val + i], rng.NextDouble() < spec.HeldOutShare ? held : seen));
        int pool = order.Length - heldSentences;
        for (int i = 0; i < spec.Train; i++)
            list.Add(Draw($"train-{i:D6}", "train", order[heldSentences + i % pool], seen));
        return list.ToSeq();
    }
}
