using System.Globalization;
using Lab.Pipeline;
using Lab.Pipeline.Io;
using Lab.Pipeline.Study;
using Lab.Stages.Core;
using Lab.Stages.Domains.Image;
using Lab.Stages.Domains.Lm;
using Lab.Stages.Language;
using Lab.Stages.Domains.Nmt;
using Lab.Stages.Domains.Speech;

namespace Lab.Tests;

/// <summary>Trial ids, model names and hyper-parameter strings are the same under every locale: a colleague's machine
/// or a cluster node with another locale finds the same trials and archived models match their rows.</summary>
public class CultureTests
{
    static readonly string[] Cultures = ["tr-TR", "de-DE", "fr-FR", "ar-SA", "fa-IR"];
    static readonly string[] Presets = ["smoke", "default", "full"];

    static T Under<T>(string culture, Func<T> f)
    {
        var saved = CultureInfo.CurrentCulture;
        try { CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture); return f(); }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    /// <summary>Every name and hyper string of every preset of every domain, and a trial id with a fractional learning rate.</summary>
    static List<string> Names() =>
    [
        .. Presets.SelectMany(p => Lab.Pipeline.Domains.Lm.LmRunner.Presets.Named(p).Map(x => x.Models.Map(m => m.Name).ToList().Append(x.Hyper)).IfNone([])),
        .. Presets.SelectMany(p => Lab.Pipeline.Domains.CharLm.CharLmRunner.Presets.Named(p).Map(x => x.Models.Map(m => m.Name).ToList().Append(x.Hyper)).IfNone([])),
        .. Presets.SelectMany(p => NmtPreset.Shipped.Named(p).Map(x => x.Models.Map(m => m.Name).ToList().Append(x.Hyper)).IfNone([])),
        .. Presets.SelectMany(p => ImagePreset.Shipped.Named(p).Map(x => x.Models.Map(m => m.Name).ToList().Append(x.Hyper)).IfNone([])),
        .. Presets.SelectMany(p => SpeechPreset.Shipped.Named(p).Map(x => x.Models.Map(m => m.Name).ToList().Append(x.Hyper)).IfNone([])),
        new TrialSpec("lm", "fp", 1, 100, 1000, "lstm-e8-h8-l1-d0.1", 0.0015, "h-0.5", 7).Id
    ];

    [Fact]
    public void Names_hyper_strings_and_trial_ids_do_not_depend_on_the_locale()
    {
        var invariant = Under("", Names);
        Assert.Contains(invariant, n => n.Contains("d0.1", StringComparison.Ordinal));   // a fractional number is in there
        foreach (var c in Cultures) Assert.Equal(invariant, Under(c, Names));
    }

    [Theory]
    [InlineData("lm")]
    [InlineData("nmt")]
    [InlineData("image")]
    public async Task A_plan_made_under_another_locale_has_the_same_trials(string domain)
    {
        async Task<List<string>> Plan(string culture)
        {
            var dir = Path.Combine(Path.GetTempPath(), $"lab-culture-{Guid.NewGuid():N}");
            var saved = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            try { Assert.Equal(0, await Cli.Run(["plan", "--domain", domain, "--preset", "smoke", "--out", dir, "--quiet"])); }
            finally { CultureInfo.CurrentCulture = saved; }
            var rows = (await ParquetTable.Read<PlanRow>(Path.Combine(dir, "space.parquet"))).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));
            Directory.Delete(dir, true);
            return rows.Select(r => $"{r.TrialId} {r.Model} {r.LearningRate.ToString("R", CultureInfo.InvariantCulture)} {r.DataFingerprint}").ToList();
        }
        var reference = await Plan("en-US");
        Assert.NotEmpty(reference);
        foreach (var c in new[] { "tr-TR", "de-DE" }) Assert.Equal(reference, await Plan(c));
    }
}
