using Lab.Stages.Domains.Image;
using Lab.Stages.Language;
using Lab.Stages.Search;
using static LanguageExt.Prelude;

namespace Lab.Tests;

/// <summary>The reserve around a preset's ladders: sizes one ladder step beyond each end of each family, rates one step
/// beyond each end of the rate ladder.</summary>
public class LadderReserveTests
{
    static LanguageExt.Option<ImageModelSpec> Widen(ImageModelSpec m, int w) => m with { Width = w };

    [Fact]
    public void A_doubling_ladder_grows_by_doubling_and_halving_each_family_apart()
    {
        var models = toSeq(new[] { 16, 32, 64 }.Select(w => new LmModelSpec(w, w, 1, 0.1))
            .Concat(new[] { 8, 16 }.Select(w => new LmModelSpec(w, w, 2, 0.1, "rhn", 0))));
        var reserve = LadderReserve.Models(models, m => m.Hidden, (m, w) => Some(m with { Hidden = w, Embed = w }), above: 2, below: 1);
        Assert.Equal(new[] { "lstm-e128-h128-l1-d0.1", "lstm-e256-h256-l1-d0.1", "lstm-e8-h8-l1-d0.1", "rhn-e32-h32-r2-d0.1-g0", "rhn-e64-h64-r2-d0.1-g0", "rhn-e4-h4-r2-d0.1-g0" },
            reserve.Map(m => m.Name).ToArray());
    }

    [Fact]
    public void An_uneven_ladder_takes_its_end_steps_and_never_repeats_or_reaches_zero()
    {
        var image = toSeq(new[] { 3, 4, 6, 8, 12, 16, 24, 32, 48 }.Select(w => new ImageModelSpec("resnet", w, 1)));
        Assert.Equal(new[] { 72, 2 }, LadderReserve.Models(image, m => m.Width, Widen, 1, 1).Map(m => m.Width).ToArray());
        var tiny = toSeq(new[] { 1, 2 }.Select(w => new ImageModelSpec("cnn", w, 1)));
        Assert.Equal(new[] { 4, 8 }, LadderReserve.Models(tiny, m => m.Width, Widen, 2, 3).Map(m => m.Width).ToArray());
        // one model: no step to take; a domain that cannot build another width: nothing
        Assert.Empty(LadderReserve.Models(toSeq(new[] { new ImageModelSpec("cnn", 8, 1) }), m => m.Width, Widen, 1, 1));
        Assert.Empty(LadderReserve.Models(image, m => m.Width, (_, _) => None, 1, 1));
    }

    [Fact]
    public void Rates_grow_by_the_end_steps_of_their_ladder()
    {
        var rates = LadderReserve.Rates(toSeq(new[] { 0.004, 0.001, 0.002, 0.008, 0.016 }), 1);
        Assert.Equal(new[] { 0.0005, 0.032 }, rates.ToArray());
        Assert.Equal(new[] { 0.00025, 0.0005, 0.032, 0.064 }, LadderReserve.Rates(toSeq(new[] { 0.001, 0.002, 0.004, 0.008, 0.016 }), 2).ToArray());
        Assert.Empty(LadderReserve.Rates(toSeq(new[] { 0.01 }), 1));
        Assert.Empty(LadderReserve.Rates(toSeq(new[] { 0.01, 0.02 }), 0));
    }
}
