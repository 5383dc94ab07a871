using Lab.Fit;

namespace Lab.Pipeline.Fitting;

/// <summary>Writes the fit stage's files: fits, predictions, projections, requirements, comparisons (Parquet) and one plot per curve.</summary>
public static class FitOutputs
{
    /// <summary>Writes everything under dir; failed curves get a failed row in fits.parquet. Returns the fit rows.</summary>
    public static async Task<List<FitRow>> Write(string dir, IReadOnlyList<CurveAnalysis> analyses, IReadOnlyList<FitError> failures, Reporter report)
    {
        var fits = analyses.SelectMany(FitTables.Fits)
            .Concat(failures.Select(f => new FitRow { Curve = f.Curve, Status = "failed", Reason = f.Message })).ToList();
        await ParquetTable.Write(Path.Combine(dir, "fits.parquet"), fits);
        await ParquetTable.Write(Path.Combine(dir, "predictions.parquet"), analyses.SelectMany(FitTables.Predictions).ToList());
        await ParquetTable.Write(Path.Combine(dir, "projections.parquet"), analyses.SelectMany(FitTables.Projections).ToList());
        await ParquetTable.Write(Path.Combine(dir, "requirements.parquet"), analyses.SelectMany(FitTables.Requirements).ToList());
        if (analyses.Count > 1) await ParquetTable.Write(Path.Combine(dir, "comparisons.parquet"), FitTables.Comparisons(analyses).ToList());
        foreach (var a in analyses)
        {
            try { report.Line($"plot: {CurvePlot.Save(a, Path.Combine(dir, "plots"))}"); }
            catch (Exception e) when (e is IOException or TypeInitializationException or DllNotFoundException or InvalidOperationException)
            { report.Error($"curve '{a.Curve}': plot not written ({e.Message})"); }
        }
        return fits;
    }
}
