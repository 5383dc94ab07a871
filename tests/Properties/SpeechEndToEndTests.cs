using Lab.Pipeline;
using Lab.Pipeline.Domains.Speech;
using Lab.Pipeline.Io;
using Lab.Pipeline.Results;
using Lab.Stages.Domains.Speech;

namespace Lab.Tests;

/// <summary>The speech domain end to end: the synthesised corpus (deterministic, held-out voices), the smoke preset
/// with both families through ONNX Runtime, re-evaluation, a real-speech manifest, and bad input.</summary>
public class SpeechEndToEndTests
{
    static string Temp() { var d = Path.Combine(Path.GetTempPath(), $"lab-speech-{Guid.NewGuid():N}"); Directory.CreateDirectory(d); return d; }

    static List<T> Read<T>(string path) where T : class, new()
        => ParquetTable.Read<T>(path).GetAwaiter().GetResult().Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

    [Fact]
    public void Synthesised_corpus_is_the_same_for_a_seed_and_holds_out_voices()
    {
        var dir = Temp();
        var spec = new CorpusSpec(24, 8, 8, 0.5, 3, 8, 5);
        string Make(string root) => CorpusGenerator.Ensure(spec, root, 2, new Reporter(quiet: true)).Match(o => o.Dir, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        var a = Make(Path.Combine(dir, "a")); var b = Make(Path.Combine(dir, "b"));
        Assert.Equal(Path.GetFileName(a), Path.GetFileName(b));
        var files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).Where(f => f != "corpus.json").Order().ToList();
        Assert.Equal(40 + 3, files.Count);
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(a, f)), File.ReadAllBytes(Path.Combine(b, f))));
        var train = File.ReadAllLines(Path.Combine(a, "train.jsonl"));
        Assert.All(train, l => Assert.Contains("\"held_out_voice\": \"no\"", l));
        var entries = Manifest.Parse("val", a, File.ReadAllText(Path.Combine(a, "val.jsonl"))).Match(e => e.ToList(), e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.All(entries, e =>
        {
            var (rate, samples) = Wav.Parse(e.AudioPath, File.ReadAllBytes(e.AudioPath)).Match(r => r, p => throw new Xunit.Sdk.XunitException(p.ToString()));
            Assert.Equal(16000, rate);
            Assert.InRange(samples.Length / 16000.0, 0.5, 8);
            Assert.InRange(samples.Max(MathF.Abs), 0.3f, 1f);   // speech, not silence
        });
        // a second Ensure reuses the folder
        Assert.True(CorpusGenerator.Ensure(spec, Path.Combine(dir, "a"), 2, new Reporter(quiet: true)).Match(o => o.Reused, _ => false));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Speech_smoke_run_measures_cer_and_wer_through_onnx_runtime_and_reevaluates()
    {
        TorchSetup.Once();
        var dir = Temp();
        var outDir = Path.Combine(dir, "out");
        var err = new StringWriter();
        Assert.True(0 == await Cli.Run(["run", "--domain", "speech", "--preset", "smoke", "--arch", "all", "--out", outDir, "--threads", "1", "--quiet"], err), err.ToString());
        var trials = Read<TrialRow>(Path.Combine(outDir, "trials.parquet"));
        Assert.Equal(Read<Lab.Pipeline.Study.PlanRow>(Path.Combine(outDir, "plan.parquet")).Count, trials.Count);
        Assert.Equal(["conv", "ds2"], trials.Select(t => t.Architecture).Distinct().Order());
        Assert.All(trials, t =>
        {
            Assert.Equal("ok", t.Status);
            Assert.Equal("frames", t.SizeUnit);
            // a model one width below the preset's smallest (the reserve a walk may try) inserts words: WER may pass 1.5
            Assert.InRange(t.ValCer, 0, 1.5); Assert.InRange(t.ValWer, 0, 3);
            Assert.True(double.IsFinite(t.ValCtcLoss) && t.ValCtcLoss > 0);
            Assert.True(Math.Abs(t.OrtTorchGap) < 1e-4, $"ORT−torch {t.OrtTorchGap}");
        });
        var curve = Read<CurveRow>(Path.Combine(outDir, "curve.parquet"));
        Assert.Equal(["speech/conv:val_cer", "speech/conv:val_ctc_loss", "speech/conv:val_wer", "speech/ds2:val_cer", "speech/ds2:val_ctc_loss", "speech/ds2:val_wer",
                      "speech:val_cer", "speech:val_ctc_loss", "speech:val_wer"], curve.Select(c => c.Curve).Distinct().Order(StringComparer.Ordinal));
        var comparisons = Read<ComparisonRow>(Path.Combine(outDir, "comparisons.parquet"));
        Assert.Contains(comparisons, c => c.CurveA == "speech/conv:val_ctc_loss" && c.CurveB == "speech/ds2:val_ctc_loss");
        Assert.Contains("speech:val_cer", File.ReadAllText(Path.Combine(outDir, "report.md")));

        var reevalOut = Path.Combine(dir, "reeval");
        Assert.True(0 == await Cli.Run(["reeval", "--models", Path.Combine(outDir, "trials.parquet"), "--out", reevalOut, "--threads", "1", "--quiet"], err), err.ToString());
        var rows = Read<Lab.Pipeline.Reeval.ReevalRow>(Path.Combine(reevalOut, "reevals.parquet"));
        Assert.Equal(trials.Count, rows.Count);
        Assert.All(rows, r => Assert.True(Math.Abs(r.Value - r.RecordedValue) <= 1e-9, $"{r.TrialId}: {r.Value} vs {r.RecordedValue}"));

        // on a machine without the corpus, re-evaluation synthesises it again and gets the same figures
        var corpus = Read<Lab.Pipeline.Study.PlanRow>(Path.Combine(outDir, "plan.parquet"))[0].DataPath;
        var aside = corpus + "-aside";
        Directory.Move(corpus, aside);
        try
        {
            Assert.True(0 == await Cli.Run(["reeval", "--models", Path.Combine(outDir, "trials.parquet"), "--out", reevalOut, "--threads", "1", "--quiet"], err), err.ToString());
            Assert.True(File.Exists(Path.Combine(corpus, "corpus.json")));
            var again = Read<Lab.Pipeline.Reeval.ReevalRow>(Path.Combine(reevalOut, "reevals.parquet")).Skip(trials.Count).ToList();
            Assert.Equal(trials.Count, again.Count);
            Assert.All(again, r => Assert.True(r.Value == r.RecordedValue && r.DataFingerprintFound == r.DataFingerprintRecorded, $"{r.TrialId}: {r.Value} vs {r.RecordedValue}"));
        }
        finally
        {
            if (Directory.Exists(corpus)) Directory.Delete(aside, true); else Directory.Move(aside, corpus);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_model_of_a_users_preset_file_reevaluates_on_its_corpus_synthesised_again()
    {
        TorchSetup.Once();
        var dir = Temp();
        var smoke = SpeechPreset.Shipped.Smoke;
        // a corpus no shipped preset makes (so only the study's preset.json can say how to synthesise it again)
        var mine = smoke with
        {
            Name = "mine", Corpus = smoke.Corpus with { Train = 200 },
            Models = smoke.Models.Filter(m => m.Arch == "ds2").Take(1).ToSeq(), LearningRates = LanguageExt.Prelude.Seq1(0.003),
            Search = smoke.Search with { Seeds = 1 }
        };
        var presetFile = Path.Combine(dir, "mine.json");
        File.WriteAllText(presetFile, Lab.Stages.Search.PresetFile.Write(mine));
        var outDir = Path.Combine(dir, "out");
        var err = new StringWriter();
        Assert.True(0 == await Cli.Run(["run", "--domain", "speech", "--preset", presetFile, "--out", outDir, "--threads", "1", "--quiet"], err), err.ToString());
        var trials = Read<TrialRow>(Path.Combine(outDir, "trials.parquet"));
        Assert.All(trials, t => Assert.Equal("mine", t.Preset));
        var corpus = Read<Lab.Pipeline.Study.PlanRow>(Path.Combine(outDir, "plan.parquet"))[0].DataPath;
        var aside = corpus + "-aside";
        Directory.Move(corpus, aside);
        try
        {
            var reevalOut = Path.Combine(dir, "reeval");
            Assert.True(0 == await Cli.Run(["reeval", "--models", Path.Combine(outDir, "trials.parquet"), "--out", reevalOut, "--threads", "1", "--quiet"], err), err.ToString());
            Assert.True(File.Exists(Path.Combine(corpus, "corpus.json")));
            var rows = Read<Lab.Pipeline.Reeval.ReevalRow>(Path.Combine(reevalOut, "reevals.parquet"));
            Assert.Equal(trials.Count, rows.Count);
            Assert.All(rows, r => Assert.True(r.Value == r.RecordedValue && r.DataFingerprintFound == r.DataFingerprintRecorded, $"{r.TrialId}: {r.Value} vs {r.RecordedValue}"));

            // without the study's preset.json the corpus cannot be made again: the error names the model and the way out
            Directory.Delete(corpus, true);
            File.Delete(Path.Combine(outDir, "preset.json"));
            var e = new StringWriter();
            Assert.NotEqual(0, await Cli.Run(["reeval", "--models", Path.Combine(outDir, "trials.parquet"), "--out", Path.Combine(dir, "reeval2"), "--threads", "1", "--quiet"], e));
            Assert.Contains("preset 'mine' is neither in this build nor kept in the model's study", e.ToString());
            Assert.Contains("--data", e.ToString());
        }
        finally
        {
            // this corpus belongs to this test alone
            foreach (var d in new[] { corpus, aside }) if (Directory.Exists(d)) Directory.Delete(d, true);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_real_speech_manifest_runs_the_same_way_and_bad_audio_is_named()
    {
        TorchSetup.Once();
        var dir = Temp();
        var corpus = CorpusGenerator.Ensure(SpeechPreset.Shipped.Smoke.Corpus, null, 2, new Reporter(quiet: true)).Match(o => o.Dir, e => throw new Xunit.Sdk.XunitException(e.ToString()));
        // one manifest with absolute paths and no val/test files: the splits are cut from it by the seed
        var lines = new[] { "train", "val", "test" }.SelectMany(s => Manifest.Parse(s, corpus, File.ReadAllText(Path.Combine(corpus, $"{s}.jsonl")))
            .Match(e => e.ToList(), e => throw new Xunit.Sdk.XunitException(e.ToString())))
            .Select(e => Manifest.Line(e.AudioPath, e.Duration, e.Text.ToUpperInvariant())).ToList();
        var manifest = Path.Combine(dir, "manifest.jsonl");
        File.WriteAllLines(manifest, lines);
        var err = new StringWriter();
        var outDir = Path.Combine(dir, "out");
        Assert.True(0 == await Cli.Run(["run", "--domain", "speech", "--preset", "smoke", "--data", manifest, "--out", outDir, "--threads", "1", "--quiet"], err), err.ToString());
        var trials = Read<TrialRow>(Path.Combine(outDir, "trials.parquet"));
        Assert.Equal(Read<Lab.Pipeline.Study.PlanRow>(Path.Combine(outDir, "plan.parquet")).Count, trials.Count);
        Assert.Equal(3, trials.Select(t => t.ShardIndex).Distinct().Count());
        Assert.All(trials, t => Assert.Equal("ok", t.Status));

        async Task<string> Fails(string data)
        {
            var e = new StringWriter();
            Assert.Equal(2, await Cli.Run(["run", "--domain", "speech", "--preset", "smoke", "--data", data, "--out", Path.Combine(dir, "bad-out"), "--quiet"], e));
            return e.ToString();
        }
        var narrow = Path.Combine(dir, "narrow.wav");
        File.WriteAllBytes(narrow, Wav.Write(8000, new float[8000]));
        var bad = Path.Combine(dir, "bad.jsonl");
        File.WriteAllLines(bad, [.. lines.Take(50), Manifest.Line(narrow, 1, "hello")]);
        var e1 = await Fails(bad);
        Assert.Contains("narrow.wav: 8000 Hz audio", e1); Assert.Contains("sox", e1);
        File.WriteAllLines(bad, [.. lines.Take(50), Manifest.Line(Path.Combine(dir, "missing.wav"), 1, "hello")]);
        Assert.Contains("missing.wav: cannot be read", await Fails(bad));
        var mp3 = Path.Combine(dir, "clip.mp3"); File.WriteAllBytes(mp3, [0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
        File.WriteAllLines(bad, [.. lines.Take(50), Manifest.Line(mp3, 1, "hello")]);
        var e3 = await Fails(bad);
        Assert.Contains("clip.mp3: not a RIFF/WAVE file", e3); Assert.Contains("sox input.wav -r 16000", e3);
        Assert.Contains("no such manifest file or corpus folder", await Fails(Path.Combine(dir, "nothing.jsonl")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Without_a_synthesiser_the_error_names_the_debian_packages()
    {
        var dir = Temp();
        var bin = Path.Combine(dir, "bin"); Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "sox"), "/usr/bin/sox");
        var path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", bin);
            var problem = CorpusGenerator.Ensure(SpeechPreset.Shipped.Smoke.Corpus, dir, 1, new Reporter(quiet: true)).Match(_ => "generated", e => e.ToString());
            Assert.Contains("no speech synthesiser is installed", problem);
            Assert.Contains("apt-get install espeak-ng", problem);
            foreach (var package in new[] { " flite ", " festival ", "festvox-kallpc16k", "festvox-us-slt-hts", " sox" }) Assert.Contains(package, problem);
            Assert.Contains("--data manifest.jsonl", problem);
        }
        finally { Environment.SetEnvironmentVariable("PATH", path); Directory.Delete(dir, true); }
    }
}
