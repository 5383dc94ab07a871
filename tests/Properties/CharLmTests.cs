using FsCheck;
using FsCheck.Xunit;
using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Lab.Stages.Domains.CharLm;
using Lab.Stages.Language;

namespace Lab.Tests;

/// <summary>Character-level language modelling: the character units and their vocabulary, and the smoke study of both
/// families end to end (bits per character through ONNX Runtime, per-family curves, the exponent comparison, reeval).</summary>
public class CharLmTests
{
    static readonly string Alphabet = "abcdefghij KLM.,;éß";

    /// <summary>Text of common characters comes back from its ids as it went in (after the normalisation: one space
    /// for each white-space run, trimmed); a character rarer than the minimum count reads as &lt;unk&gt;. One paragraph:
    /// line feeds become spaces, since a blank line would end the paragraph and its ids carry no separator (paragraphs
    /// are <see cref="Paragraphs_are_examples_and_composed_characters_are_one_unit"/>'s; with them this property failed
    /// on "a", a blank line, "a" in a CI run of 2026-12-03).</summary>
    [Property(MaxTest = 50)]
    public bool Characters_round_trip_through_the_vocabulary(NonEmptyString raw, PositiveInt rarePick)
    {
        var text = new string(raw.Get.Select(c => c == '\n' ? ' ' : char.IsWhiteSpace(c) ? c : Alphabet[c % Alphabet.Length]).ToArray());
        var common = string.Concat(Enumerable.Repeat(Alphabet, Characters.MinCount));
        string rare = char.ConvertFromUtf32(0x1F600 + rarePick.Get % 16);   // outside the basic plane: one unit, two UTF-16 chars
        var training = Characters.Examples($"{common}\n\n{rare}", 10_000).ToList();
        var vocab = Vocabulary.Build(training, 1000, Characters.MinCount);
        var units = Characters.Examples(text, 7).ToList();
        var ids = units.SelectMany(u => u.Select(vocab.Id)).ToList();
        var normal = string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        bool roundTrip = Characters.Decode(ids, vocab) == normal && units.All(u => u.Length is > 0 and <= 7);
        var withRare = Characters.Examples($"a{rare}b", 100).Single();
        bool rareIsUnk = withRare.Length == 3 && vocab.Id(withRare[1]) == Vocabulary.Unk && Characters.Decode(withRare.Select(vocab.Id), vocab) == "a\uFFFDb";
        return roundTrip && rareIsUnk && !vocab.Words.Any(w => w.Contains('\n'));
    }

    [Fact]
    public void Paragraphs_are_examples_and_composed_characters_are_one_unit()
    {
        var examples = Characters.Examples("Cafe\u0301 au\n lait\r\n\r\n  second\tparagraph \n", 100).ToList();
        Assert.Equal(["Café au lait", "second paragraph"], examples.Select(e => string.Concat(e)));
        Assert.Equal(12, examples[0].Length);   // NFC: e + combining acute is one character
    }

    [Fact]
    public async Task Charlm_smoke_run_of_both_families_measures_bits_per_character_and_reevaluates()
    {
        TorchSetup.Once();
        var dir = Path.Combine(Path.GetTempPath(), $"lab-charlm-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "slice.txt"), ShippedText.Slice(120_000));
        var outDir = Path.Combine(dir, "out");
        var err = new StringWriter();
        Assert.True(0 == await Cli.Run(["run", "--domain", "charlm", "--preset", "smoke", "--arch", "all", "--data", Path.Combine(dir, "slice.txt"), "--out", outDir, "--threads", "1", "--quiet"], err), err.ToString());
        var trials = (await ParquetTable.Read<TrialRow>(Path.Combine(outDir, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(["lstm", "rhn"], trials.Select(t => t.Architecture).Distinct().Order());
        int alphabet = (await File.ReadAllLinesAsync(Path.Combine(outDir, "vocab.txt"))).Length;
        Assert.InRange(alphabet, 30, 120);   // English prose: letters of both cases, digits, punctuation, <unk>, <eos>
        Assert.All(trials, t =>
        {
            Assert.Equal("ok", t.Status);
            Assert.Equal("characters", t.SizeUnit);
            Assert.True(Math.Abs(t.OrtTorchGap) < 1e-4, $"ORT−torch {t.OrtTorchGap}");
            Assert.Equal(t.ValCrossEntropy / Math.Log(2), t.Metric("val_bits_per_char"), 12);
            Assert.Equal(t.TestCrossEntropy / Math.Log(2), t.Metric("test_bits_per_char"), 12);
            Assert.InRange(t.Metric("val_bits_per_char"), 1.0, Math.Log2(alphabet) + 0.5);
        });
        var curve = (await ParquetTable.Read<CurveRow>(Path.Combine(outDir, "curve.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(["charlm/lstm:val_bits_per_char", "charlm/rhn:val_bits_per_char", "charlm:val_bits_per_char"], curve.Select(c => c.Curve).Distinct().Order(StringComparer.Ordinal));
        var comparisons = (await ParquetTable.Read<ComparisonRow>(Path.Combine(outDir, "comparisons.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Contains(comparisons, c => c.CurveA == "charlm/lstm:val_bits_per_char" && c.CurveB == "charlm/rhn:val_bits_per_char" && c.Verdict.Length > 0);
        var reevalOut = Path.Combine(dir, "reeval");
        Assert.True(0 == await Cli.Run(["reeval", "--models", Path.Combine(outDir, "trials.parquet"), "--data", Path.Combine(dir, "slice.txt"), "--out", reevalOut, "--threads", "1", "--quiet"], err), err.ToString());
        var rows = (await ParquetTable.Read<Lab.Pipeline.Reeval.ReevalRow>(Path.Combine(reevalOut, "reevals.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(trials.Count, rows.Count);
        Assert.All(rows, r => Assert.True(r.Metric == "val_bits_per_char" && Math.Abs(r.RelativeDifference) <= 1e-5, $"{r.TrialId}: {r.Metric} {r.Value} vs {r.RecordedValue}"));
        Directory.Delete(dir, true);
    }

    /// <summary>The word-level domain with both families: each has its curve, and their exponents are compared.</summary>
    [Fact]
    public async Task Lm_smoke_run_with_both_families_compares_their_exponents()
    {
        TorchSetup.Once();
        var dir = Path.Combine(Path.GetTempPath(), $"lab-lm-arch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "slice.txt");
        await File.WriteAllTextAsync(data, ShippedText.Slice(400_000));
        var outDir = Path.Combine(dir, "out");
        var err = new StringWriter();
        Assert.True(0 == await Cli.Run(["run", "--domain", "lm", "--preset", "smoke", "--arch", "all", "--data", data, "--out", outDir, "--threads", "1", "--quiet"], err), err.ToString());
        var trials = (await ParquetTable.Read<TrialRow>(Path.Combine(outDir, "trials.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(["lstm", "rhn"], trials.Select(t => t.Architecture).Distinct().Order());
        Assert.All(trials, t => Assert.True(t.Status == "ok" && Math.Abs(t.OrtTorchGap) < 1e-4, $"{t.Model}: {t.Status} {t.Reason} gap {t.OrtTorchGap}"));
        var comparisons = (await ParquetTable.Read<ComparisonRow>(Path.Combine(outDir, "comparisons.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Contains(comparisons, c => c.CurveA == "lm/lstm:val_cross_entropy" && c.CurveB == "lm/rhn:val_cross_entropy" && c.Verdict.Length > 0);
        Directory.Delete(dir, true);
    }
}
