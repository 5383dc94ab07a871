using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Search;

/// <summary>
/// The value checks of a preset, each a <see cref="Validation{FAIL, SUCCESS}"/> so that a preset file with several bad
/// values is told all of them at once (<see cref="PresetFile.Parse{T}"/>), before a study trains anything: a batch of
/// 0, an empty or negative learning-rate ladder, an epoch budget of 0 would otherwise run a whole study into failed or
/// meaningless trials.
/// </summary>
public static class PresetCheck
{
    /// <summary>Every check's failures together (success when all pass).</summary>
    public static Validation<string, Unit> All(params Validation<string, Unit>[] checks)
        => checks.ToSeq().Sequence().Map(_ => unit);

    /// <summary>A check of every item of a list, told by its index (<c>Models[2].Width is 0</c>).</summary>
    public static Validation<string, Unit> Each<T>(string field, IEnumerable<T> items, Func<string, T, Validation<string, Unit>> check)
        => All(items.Select((item, i) => check($"{field}[{i}]", item)).ToArray());

    /// <summary>An integer of at least <paramref name="min"/>.</summary>
    public static Validation<string, Unit> AtLeast(string field, long value, long min)
        => value >= min ? Success<string, Unit>(unit) : Fail<string, Unit>($"{field} is {value}; it must be at least {min}");

    /// <summary>A finite number above 0.</summary>
    public static Validation<string, Unit> Positive(string field, double value)
        => value > 0 && double.IsFinite(value) ? Success<string, Unit>(unit) : Fail<string, Unit>($"{field} is {Show(value)}; it must be a positive number");

    /// <summary>A finite number of at least 0.</summary>
    public static Validation<string, Unit> NotNegative(string field, double value)
        => value >= 0 && double.IsFinite(value) ? Success<string, Unit>(unit) : Fail<string, Unit>($"{field} is {Show(value)}; it must be 0 or more");

    /// <summary>A share in [0, 1).</summary>
    public static Validation<string, Unit> Share(string field, double value)
        => value >= 0 && value < 1 ? Success<string, Unit>(unit) : Fail<string, Unit>($"{field} is {Show(value)}; it must be at least 0 and below 1");

    /// <summary>The checks every preset shares: the training budget and the search's settings.</summary>
    public static Validation<string, Unit> Training(IPreset p)
        => All(AtLeast("MaxEpochs", p.MaxEpochs, 1), AtLeast("Patience", p.Patience, 1), Positive("ClipNorm", p.ClipNorm),
            AtLeast("DecayPatience", p.DecayPatience, 0), Search(p.Search));

    /// <summary>The search's settings.</summary>
    public static Validation<string, Unit> Search(SearchSettings s)
        => All(AtLeast("Search.Seeds", s.Seeds, 1), NotNegative("Search.MarginFloor", s.MarginFloor), NotNegative("Search.NoiseZ", s.NoiseZ),
            AtLeast("Search.StartSize", s.StartSize, 0), AtLeast("Search.MaxTrialsPerShard", s.MaxTrialsPerShard, 1),
            NotNegative("Search.PruneRelative", s.PruneRelative), AtLeast("Search.GrowAbove", s.GrowAbove, 0),
            AtLeast("Search.GrowBelow", s.GrowBelow, 0), AtLeast("Search.GrowRates", s.GrowRates, 0));

    /// <summary>The shard ladder, the models and the learning-rate ladder, with the shared checks.</summary>
    public static Validation<string, Unit> Ladders<TModel>(IPreset<TModel> p) where TModel : IModelSpec
        => All(Training(p),
            AtLeast("Shards.Smallest", p.Shards.Smallest, 1), AtLeast("Shards.Cap", p.Shards.Cap, Math.Max(1, p.Shards.Smallest)),
            AtLeast("Shards.MinShards", p.Shards.MinShards, 1),
            p.Models.IsEmpty ? Fail<string, Unit>("Models is empty; give at least one model") : Success<string, Unit>(unit),
            Once("Models", p.Models.Map(m => m.Name)),
            p.LearningRates.IsEmpty ? Fail<string, Unit>("LearningRates is empty; give at least one rate") : Success<string, Unit>(unit),
            Each("LearningRates", p.LearningRates, Positive));

    /// <summary>Names that occur once each.</summary>
    static Validation<string, Unit> Once(string field, IEnumerable<string> names)
    {
        var twice = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return twice.Count == 0 ? Success<string, Unit>(unit) : Fail<string, Unit>($"{field} lists {string.Join(", ", twice)} more than once");
    }

    static string Show(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
