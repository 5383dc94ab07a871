using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Stages.Search;

/// <summary>
/// The reserve around a preset's ladders: the sizes one or more ladder steps beyond each end of every family's size
/// ladder, and the learning rates beyond each end of the rate ladder. The study plans them with the preset's own
/// configurations (marked as reserve), and a walk trains them only when it binds at an end
/// (<see cref="BestFitSearch.Grow"/>); so the grown ladders are part of the replayed plan, and resume and Slurm rounds
/// give the same trials.
/// </summary>
public static class LadderReserve
{
    /// <summary>
    /// Each family's models beyond its ladder's ends: <paramref name="above"/> widths above the largest, each the ratio of
    /// the two largest widths further (48 after 24 and 32 gives 72, then 108), and <paramref name="below"/> under the
    /// smallest by the ratio of the two smallest (rounded, at least 1, strictly smaller). A family needs two widths to
    /// have a step; the other values of the end model (depth, dropout, …) are kept. A model the ladder already has is not
    /// added twice.
    /// </summary>
    /// <param name="width">The model's width (the value its ladder steps).</param>
    /// <param name="withWidth">The end model at another width, if the domain can build one.</param>
    public static Seq<TModel> Models<TModel>(Seq<TModel> models, Func<TModel, int> width, Func<TModel, int, Option<TModel>> withWidth, int above, int below)
        where TModel : IModelSpec
    {
        var names = models.Map(m => m.Name).ToHashSet();
        var reserve = new List<TModel>();
        foreach (var family in models.GroupBy(m => m.Arch).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ladder = family.OrderBy(width).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
            if (ladder.Count < 2) continue;
            var (top, second) = (ladder[^1], ladder[^2]);
            double up = (double)width(top) / width(second);
            int w = width(top);
            for (int i = 0; i < above && up > 1; i++)
            {
                int next = Math.Max(w + 1, (int)Math.Round(w * up));
                w = next;
                withWidth(top, next).IfSome(m => reserve.Add(m));
            }
            var (bottom, third) = (ladder[0], ladder[1]);
            double down = (double)width(third) / width(bottom);
            w = width(bottom);
            for (int i = 0; i < below && down > 1; i++)
            {
                int next = Math.Min(w - 1, (int)Math.Round(w / down));
                if (next < 1) break;
                w = next;
                withWidth(bottom, next).IfSome(m => reserve.Add(m));
            }
        }
        return reserve.Where(m => names.Add(m.Name)).ToSeq();
    }

    /// <summary>The learning rates beyond the ladder's ends, <paramref name="each"/> per end, each one end step further
    /// (the ratio of the two end rates); none for a ladder of fewer than two rates.</summary>
    public static Seq<double> Rates(Seq<double> rates, int each)
    {
        var r = rates.Distinct().Order().ToList();
        if (r.Count < 2 || each <= 0) return Seq<double>();
        double up = r[^1] / r[^2], down = r[1] / r[0];
        var extra = new List<double>();
        for (int i = 1; i <= each; i++)
        {
            extra.Add(r[0] / Math.Pow(down, i));
            extra.Add(r[^1] * Math.Pow(up, i));
        }
        return extra.Where(x => double.IsFinite(x) && x > 0 && !r.Contains(x)).Distinct().Order().ToSeq();
    }
}
