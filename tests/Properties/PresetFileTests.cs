using FsCheck;
using FsCheck.Xunit;
using LanguageExt;
using Lab.Stages.Search;
using static LanguageExt.Prelude;
using Lab.Pipeline.Domains;
using Lab.Pipeline.Domains.CharLm;
using Lab.Pipeline.Domains.Lm;
using Lab.Stages.Domains.Image;
using Lab.Stages.Domains.Nmt;
using Lab.Stages.Domains.Speech;
using Lab.Stages.Language;

namespace Lab.Tests;

/// <summary>Presets are data (data/presets/&lt;domain&gt;.json): every domain ships smoke, default and full, each reads
/// back from what it writes, and the reader is strict.</summary>
public class PresetFileTests
{
    static IEnumerable<(string File, IReadOnlyList<IPreset> Presets)> Shipped() =>
    [
        ("lm", LmRunner.Presets.All.Cast<IPreset>().ToList()), ("charlm", CharLmRunner.Presets.All.Cast<IPreset>().ToList()),
        ("image", ImagePreset.Shipped.All.Cast<IPreset>().ToList()), ("nmt", NmtPreset.Shipped.All.Cast<IPreset>().ToList()),
        ("speech", SpeechPreset.Shipped.All.Cast<IPreset>().ToList()),
    ];

    [Fact]
    public void Every_domain_ships_smoke_default_and_full()
    {
        var files = Shipped().Select(s => s.File).ToHashSet();
        Assert.All(DomainRegistry.All.Map(d => d.Name).Where(n => n != "blobs"), n => Assert.Contains(n, files));
        Assert.All(Shipped(), s => Assert.Equal(["smoke", "default", "full"], s.Presets.Select(p => p.Name)));
    }

    [Fact]
    public void Every_shipped_preset_reads_back_from_what_it_writes()
    {
        static void RoundTrip<T>(PresetSet<T> set) where T : IPreset
            => Assert.All(set.All, p => Assert.Equal(p, PresetFile.Parse<T>(PresetFile.Write(p), "written").Match(x => x.Single(), e => throw new Xunit.Sdk.XunitException(e.ToString()))));
        RoundTrip(LmRunner.Presets); RoundTrip(CharLmRunner.Presets); RoundTrip(ImagePreset.Shipped); RoundTrip(NmtPreset.Shipped); RoundTrip(SpeechPreset.Shipped);
    }

    [Property(MaxTest = 50)]
    public bool Any_values_round_trip(PositiveInt vocab, NormalFloat lr, PositiveInt seeds, bool dropWidths)
    {
        var p = LmRunner.Presets.Smoke with
        {
            Name = "x", VocabSize = vocab.Get + 1, LearningRates = Seq(Math.Abs(lr.Get) + 1e-9, 1e-3),
            Search = LmRunner.Presets.Smoke.Search with { Seeds = seeds.Get },
            Models = dropWidths ? LmRunner.Presets.Smoke.Models.Take(1).ToSeq() : LmRunner.Presets.Smoke.Models,
        };
        return PresetFile.Parse<LmPreset>(PresetFile.Write(p), "x").Match(x => x.Single().Equals(p), _ => false)
            && !p.Equals(p with { VocabSize = p.VocabSize + 1 });
    }

    [Fact]
    public void Search_settings_may_be_left_out_and_take_their_defaults_but_nothing_else_may()
    {
        var full = PresetFile.Write(LmRunner.Presets.Smoke with { Search = new SearchSettings() });
        var noSeeds = full.Replace("\"Seeds\": 3,", "");
        Assert.Equal(new SearchSettings(), PresetFile.Parse<LmPreset>(noSeeds, "f").Match(p => p.Single().Search, e => throw new Xunit.Sdk.XunitException(e.ToString())));
        var noVocab = full.Replace("\"VocabSize\": 1000,", "");
        Assert.NotEqual(full, noVocab);
        var problem = PresetFile.Parse<LmPreset>(noVocab, "my.json").Match(_ => "", e => e.ToString());
        Assert.Contains("my.json", problem);
        Assert.Contains("VocabSize", problem);
    }

    [Fact]
    public void Every_shipped_preset_passes_its_value_checks()
        => Assert.All(Shipped(), s => Assert.All(s.Presets, p => Assert.True(p.Check().IsSuccess, $"{s.File}/{p.Name}: {p.Check()}")));

    [Fact]
    public void A_preset_with_several_bad_values_is_one_problem_naming_the_file_and_every_value()
    {
        static string Problem<T>(T bad) where T : IPreset
            => PresetFile.Parse<T>(PresetFile.Write(bad), "mine.json").Match(_ => "", e => e.ToString());
        var lm = Problem(LmRunner.Presets.Smoke with
        {
            Name = "mine", BatchSize = 0, MaxEpochs = 0, LearningRates = Seq(1e-3, -1e-3), Search = new SearchSettings(Seeds: 0),
            Models = LmRunner.Presets.Smoke.Models.Add(LmRunner.Presets.Smoke.Models[0]).Add(LmRunner.Presets.Smoke.Models[0] with { Dropout = 1.5 })
        });
        Assert.StartsWith("mine.json: preset 'mine': ", lm);
        foreach (var field in new[] { "BatchSize is 0", "MaxEpochs is 0", "LearningRates[1] is -0.001", "Search.Seeds is 0", ".Dropout is 1.5", "more than once" })
            Assert.Contains(field, lm);
        var nmt = NmtPreset.Shipped.Named("smoke").IfNone(() => throw new Xunit.Sdk.XunitException("no smoke"));
        Assert.Contains("ValPairs is 0", Problem(nmt with { Name = "mine", ValPairs = 0 }));
        var image = ImagePreset.Shipped.Named("smoke").IfNone(() => throw new Xunit.Sdk.XunitException("no smoke"));
        Assert.Contains("Shards.Cap is 10", Problem(image with { Name = "mine", Shards = image.Shards with { Smallest = 100, Cap = 10 } }));
        var speech = SpeechPreset.Shipped.Named("smoke").IfNone(() => throw new Xunit.Sdk.XunitException("no smoke"));
        Assert.Contains("ValShare is 1", Problem(speech with { Name = "mine", ValShare = 1 }));
        Assert.Contains("LearningRates is empty", Problem(speech with { Name = "mine", LearningRates = Seq<double>() }));
    }

    [Fact]
    public void Two_presets_of_one_name_are_refused()
    {
        var one = PresetFile.Write(LmRunner.Presets.Smoke);
        var problem = PresetFile.Parse<LmPreset>($"[{one}, {one}]", "twice.json").Match(_ => "", e => e.ToString());
        Assert.Contains("twice.json: two presets are named 'smoke'", problem);
    }

    [Fact]
    public void An_image_presets_decay_patience_is_optional_and_part_of_the_trial_ids_only_when_given()
    {
        var smoke = ImagePreset.Shipped.Named("smoke").IfNone(() => throw new Xunit.Sdk.XunitException("no smoke preset"));
        Assert.Equal(1, smoke.DecayPatience);
        Assert.EndsWith("-plateau0.5", smoke.Hyper);   // the ids of presets without it are as they were
        var written = PresetFile.Write(smoke with { Name = "mine" });
        var without = System.Text.RegularExpressions.Regex.Replace(written, @",\s*""DecayPatience"": 1", "");
        Assert.NotEqual(written, without);
        var read = PresetFile.Parse<ImagePreset>(without, "mine.json").Match(p => p.Single(), e => throw new Xunit.Sdk.XunitException(e.ToString()));
        Assert.Equal(smoke with { Name = "mine" }, read);
        var two = smoke with { DecayPatience = 2 };
        Assert.NotEqual(smoke.Hyper, two.Hyper);
        Assert.Equal(2, ((IPreset)two).DecayPatience);
        Assert.Equal(1, ((IPreset)NmtPreset.Shipped.Named("default").IfNone(() => throw new Xunit.Sdk.XunitException("no nmt default"))).DecayPatience);
    }
}
