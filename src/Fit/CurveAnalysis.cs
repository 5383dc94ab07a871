using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Fit;

/// <summary>A point as read from a curves file: size, error, which split it is in, and optionally the parameter count
/// of the best model there, the errors of its seeds (whose mean is <paramref name="Error"/>; the bootstrap resamples them),
/// and the training FLOPs and seconds of one run of that model (for the compute projections).</summary>
/// <param name="ParamsBelow">The parameter count of the next smaller size of the best model's ladder (the best-fit size
/// lies above it: at a bracketed point the search found it measurably worse), when known: with it a curve whose best model has one size at every point still gets beta_p
/// with an interval (<see cref="SizeResolution"/>).</param>
/// <param name="SizeBound">Set when the best-fit size is only a bound: the search ended at an end of the size ladder
/// ("small-data", "size-floor", "size-cap", as in curve.parquet's bound_by). Such a point is left out of the fit of s(m)
/// (its size is not where the best-fit size lies, only a limit of it) and the notes say so; its error stays on the curve.</param>
public sealed record CurvePoint(double M, double Error, string Split = "fit", double? Params = null, Seq<double> Replicates = default,
    double? Flops = null, double? Seconds = null, double? ParamsBelow = null, string? SizeBound = null)
{
    /// <summary>Which of a search's bounds (comma-separated, as curve.parquet's bound_by) make the best-fit size a bound.</summary>
    public static string? SizeBoundOf(string boundBy)
    {
        var ends = boundBy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(b => b is "small-data" or "size-floor" or "size-cap").ToList();
        return ends.Count == 0 ? null : string.Join(',', ends);
    }
}

/// <summary>Options of a curve analysis (the `pipeline fit` flags).</summary>
/// <param name="Family">auto, or a family name.</param>
/// <param name="HoldoutLast">When the input has no split column: hold out this many largest sizes.</param>
/// <param name="Resamples">Bootstrap refits.</param>
/// <param name="Seed">Bootstrap seed.</param>
/// <param name="BestGuess">The domain's best-guess error, for the regions.</param>
/// <param name="TargetError">Error whose required training-set size is projected.</param>
/// <param name="Horizon">How far the selection's backtests predict (× the cut's largest size); null: the reach of the
/// held-out points when there are any (largest held-out / largest fitted size), else the next doubling.</param>
public sealed record AnalysisOptions(string Family = "auto", int HoldoutLast = 0, int Resamples = 1000, int Seed = 17,
    double? BestGuess = null, double? TargetError = null, double? Horizon = null);

/// <summary>Observed and predicted error at one input point, with the 95% band (<see cref="PredictionBand"/>).</summary>
public sealed record PointPrediction(double M, double Observed, double Predicted, double Lower, double Upper, string Split, string Region);

/// <summary>Everything fitted for one curve.</summary>
/// <param name="Curve">Curve name.</param>
/// <param name="Selection">Chosen family and every family's extrapolation score.</param>
/// <param name="Fit">The chosen family's fit (on the fit points).</param>
/// <param name="Fits">Every family that could be fitted, the chosen one included.</param>
/// <param name="Predictions">Every input point, held-out ones included.</param>
/// <param name="HoldoutError">Mean |predicted/observed − 1| over held-out points, predicted as <paramref name="Predictions"/>
/// say (the tied families' average where there are ties; NaN without any held-out point).</param>
/// <param name="Projections">Size for the target error; error at 2× and 4× the largest size.</param>
/// <param name="ModelSize">s(m) = alpha·m^beta_p over the best models' parameter counts, when given.</param>
/// <param name="ModelSizeError">Why the model-size fit is missing, when it is.</param>
/// <param name="SizePoints">(m, parameter count of the best model) on the fit points, fitted or not (a point whose size is a
/// bound included).</param>
/// <param name="Compute">Training FLOPs of the best model as a power law of m, when the points carry FLOPs.</param>
/// <param name="Requirements">Data, model size and compute for the target error and for the errors at 2× and 4× the data.</param>
/// <param name="ModelSizeNote">How the model-size fit was made when not by the bootstrap (a flat best-fit size: the
/// interval is what the ladder resolves); empty otherwise.</param>
/// <param name="Band">The 95 % band of the predicted error (bootstrap, backtest drift beyond the data, tied and plausible families).</param>
/// <param name="Notes">What a reader should know of the fit: points in the small-data or irreducible region (kept in
/// the fit, named here), families not fitted and why, parameters at the edge of what the data support.</param>
/// <param name="NotFitted">Each family that could not be fitted to the curve, with the reason.</param>
public sealed record CurveAnalysis(string Curve, Selection Selection, CurveFit Fit, Seq<CurveFit> Fits,
    Seq<PointPrediction> Predictions, double HoldoutError, Seq<Projection> Projections, Option<CurveFit> ModelSize, string ModelSizeError,
    Seq<Observation> SizePoints, Option<CurveFit> Compute, Seq<Requirement> Requirements, string ModelSizeNote, PredictionBand Band, Seq<string> Notes,
    Seq<(string Family, string Reason)> NotFitted)
{
    /// <summary>Fits, selects, bootstraps, labels regions and projects one curve.</summary>
    public static Either<FitError, CurveAnalysis> Run(string curve, IReadOnlyList<CurvePoint> points, AnalysisOptions o)
    {
        var sorted = points.OrderBy(p => p.M).ToList();
        if (sorted.Any(p => p.Split is not ("fit" or "holdout")))
            return new FitError(curve, $"split must be 'fit' or 'holdout', found '{sorted.First(p => p.Split is not ("fit" or "holdout")).Split}'");
        bool explicitSplit = sorted.Any(p => p.Split == "holdout");
        if (!explicitSplit && o.HoldoutLast > 0)
        {
            if (o.HoldoutLast >= sorted.Count) return new FitError(curve, $"--holdout-last {o.HoldoutLast} leaves no point to fit ({sorted.Count} points)");
            sorted = sorted.Select((p, i) => i >= sorted.Count - o.HoldoutLast ? p with { Split = "holdout" } : p).ToList();
        }
        var fitPoints = sorted.Where(p => p.Split == "fit").Select(p => new Observation(p.M, p.Error, p.Replicates)).ToList();
        var held = sorted.Where(p => p.Split == "holdout").ToList();
        double horizon = o.Horizon ?? (held.Count > 0 && fitPoints.Count > 0
            ? Math.Clamp(held.Max(p => p.M) / fitPoints.Max(p => p.M), 1.25, 64) : FamilySelection.DefaultHorizon);

        Either<FitError, ICurveFamily> family = o.Family.Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? Right<FitError, ICurveFamily>(new PowerLaw())
            : CurveFitter.Family(o.Family).ToEither(new FitError(curve, $"unknown family '{o.Family}' (auto, {string.Join(", ", CurveFitter.Families.Map(f => f.Name))})"));
        return from fam in family
               from valid in CurveFitter.Validate(curve, fitPoints, o.Family == "auto" ? 2 : fam.ParameterNames.Count)
               let selection = o.Family.Equals("auto", StringComparison.OrdinalIgnoreCase)
                   ? FamilySelection.Choose(valid, CurveFitter.Families, horizon)
                   : Given(valid, fam, horizon)
               from chosen in CurveFitter.Fit(curve, valid, selection.Chosen, o.Resamples, o.Seed)
               select Complete(curve, sorted, held, valid, selection, chosen, o);
    }

    /// <summary>A family the user named: its backtests are still run (they measure its extrapolation error for the band).</summary>
    static Selection Given(Seq<Observation> valid, ICurveFamily fam, double horizon)
    {
        var own = FamilySelection.Choose(valid, Seq1(fam), horizon);
        return new Selection(fam, own.Scores, horizon);
    }

    static CurveAnalysis Complete(string curve, List<CurvePoint> sorted, List<CurvePoint> held, Seq<Observation> valid,
        Selection selection, CurveFit chosen, AnalysisOptions o)
    {
        var attempts = CurveFitter.Families.Filter(f => f.Name != chosen.Family.Name)
            .Map(f => (f.Name, Fit: CurveFitter.Fit(curve, valid, f, o.Resamples, o.Seed))).Strict();
        var others = attempts.Map(a => a.Fit).Rights();
        var fits = Seq1(chosen) + others.ToSeq();
        var band = PredictionBand.Of(chosen,
            selection.Scores.Find(s => s.Family == chosen.Family.Name).Map(s => s.Backtests).IfNone(Seq<Backtest>()),
            others.Filter(f => selection.Tied.Contains(f.Family.Name)).ToSeq())
            with { Plausible = others.Filter(f => selection.Plausible.Contains(f.Family.Name)).ToSeq() };
        var regions = Regions.Label(chosen, sorted.Select(p => new Observation(p.M, p.Error)).ToList(), o.BestGuess);
        var predictions = sorted.Select((p, i) =>
        {
            var b = band.At(p.M);
            return new PointPrediction(p.M, p.Error, b.Value, b.Lower, b.Upper, p.Split, regions[i]);
        }).ToSeq();
        // the error of the prediction reported (with tied families, their average), as predictions.parquet holds it
        double holdoutError = held.Count == 0 ? double.NaN
            : predictions.Filter(p => p.Split == "holdout").Map(p => Math.Abs(p.Predicted / p.Observed - 1)).Average();
        double largest = sorted.Max(p => p.M);
        var projections = (o.TargetError is double t ? Seq1(band.SizeFor(t)) : Seq<Projection>())
            + Seq(band.At(2 * largest), band.At(4 * largest));
        var withParams = sorted.Where(p => p.Split == "fit" && p.Params is > 0).ToList();
        var sized = withParams.Where(p => p.SizeBound is null).ToList();
        var sizeBound = withParams.Where(p => p.SizeBound is not null).ToList();
        var sizePoints = sized.Select(p => new Observation(p.M, p.Params!.Value)).ToList();
        bool flat = sizePoints.Count > 0 && sizePoints.Select(p => p.Error).Distinct().Count() == 1;
        var resolved = flat ? SizeResolution.Flat($"{curve}:model_size", sized.Select(p => (p.M, p.Params!.Value, p.ParamsBelow ?? double.NaN)).ToList()) : None;
        var size = sizePoints.Count == 0 && sizeBound.Count > 0
            ? Left<FitError, CurveFit>(new FitError($"{curve}:model_size", $"every point's best-fit size is a bound, not a measurement ({BoundList(sizeBound)}): widen the size ladder at the bound end"))
            : sizePoints.Count == 0
            ? Left<FitError, CurveFit>(new FitError($"{curve}:model_size", "no params column"))
            : flat
                ? resolved.ToEither(new FitError($"{curve}:model_size",
                    $"the best-fit model has {sizePoints[0].Error:N0} parameters at every shard: no growth this size ladder can resolve (where the points are bound by an end of the ladder, widen it)"))
                : CurveFitter.Fit($"{curve}:model_size", sizePoints, new PowerLaw(), o.Resamples, o.Seed)
                    .MapLeft(e => sizeBound.Count == 0 ? e : e with { Message = $"{e.Message}; {sizeBound.Count} more point(s) left out, their best-fit size a bound ({BoundList(sizeBound)})" });
        string sizeNote = resolved.Match(_ => SizeResolution.Note(sizePoints[0].Error), () => "");
        var flopPoints = sorted.Where(p => p.Split == "fit" && p.Flops is > 0).Select(p => new Observation(p.M, p.Flops!.Value)).ToList();
        var compute = flopPoints.Count >= 3 && flopPoints.Select(p => p.Error).Distinct().Count() > 1
            ? CurveFitter.Fit($"{curve}:train_flops", flopPoints, new PowerLaw(), o.Resamples, o.Seed).ToOption()
            : Option<CurveFit>.None;
        var timed = sorted.Where(p => p.Flops is > 0 && p.Seconds is > 0).ToList();
        double flopsPerSecond = timed.Count == 0 ? double.NaN : timed.Sum(p => p.Flops!.Value) / timed.Sum(p => p.Seconds!.Value);
        var requirements = Requirement.Targets(band, largest, o.TargetError)
            .Map(t => Requirement.For(band, size.ToOption(), compute, flopsPerSecond, t.Target, t.Basis));
        var notFitted = attempts.Bind(a => a.Fit.Match(_ => Seq<(string, string)>(), e => Seq1((a.Name, e.Message)))).Strict();
        var notes = NotesOf(sorted, regions, chosen, notFitted, selection);
        if (sizeBound.Count > 0 && sizePoints.Count > 0)
            notes = notes.Add($"s(m) is fitted on {sizePoints.Count} point(s); {sizeBound.Count} left out, their best-fit size a bound ({BoundList(sizeBound)})");
        return new CurveAnalysis(curve, selection, chosen, fits, predictions, holdoutError, projections,
            size.ToOption(), size.Match(_ => "", e => e.Message), withParams.Select(p => new Observation(p.M, p.Params!.Value)).ToSeq(), compute, requirements, sizeNote, band, notes, notFitted);
    }

    /// <summary>"m = 4000 small-data, m = 8000 size-cap".</summary>
    static string BoundList(IEnumerable<CurvePoint> points)
        => string.Join(", ", points.Select(p => $"m = {p.M.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} {p.SizeBound}"));

    /// <summary>What the report says of a fit besides its numbers.</summary>
    static Seq<string> NotesOf(List<CurvePoint> sorted, string[] regions, CurveFit chosen, Seq<(string Family, string Error)> failed, Selection selection)
    {
        var notes = new List<string>();
        foreach (var region in new[] { "small-data", "irreducible" })
        {
            var at = sorted.Where((p, i) => regions[i] == region).Select(p => p.M.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (at.Count > 0) notes.Add($"{at.Count} point(s) in the {region} region (m = {string.Join(", ", at)}): kept in the fit, labelled in predictions");
        }
        foreach (var (family, error) in failed)
            notes.Add($"{family} not fitted: {error}");
        if (selection.Tied.Count > 0)
            notes.Add($"the backtests could not tell {chosen.Family.Name} from {string.Join(", ", selection.Tied)}: the bands hold their predictions too");
        if (selection.Plausible.Count > 0)
            notes.Add($"the backtests ranked {string.Join(", ", selection.Plausible)} below {chosen.Family.Name}, not decisively (score within {FamilySelection.PlausibleFactor:G}x): the bands hold their predictions");
        double expo = chosen.Family.Exponent(chosen.Theta);
        if (Math.Abs(expo) > 3 || chosen.Theta.Any(v => Math.Abs(v) > 1e12))
            notes.Add($"the {chosen.Family.Name} fit has extreme parameters (exponent {expo:G3}; {string.Join(", ", chosen.Parameters.Map(p => $"{p.Name} {p.Value:G3}"))}): its extrapolation rests on very few points' curvature");
        return notes.ToSeq();
    }
}
