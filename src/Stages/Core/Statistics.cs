namespace Lab.Stages.Core;

/// <summary>The few summary statistics the study reports: sample standard deviation, median and a robust spread.</summary>
public static class Statistics
{
    /// <summary>Sample standard deviation (n − 1); NaN for fewer than two values.</summary>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return double.NaN;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>The median (mean of the middle two for an even count); NaN for no values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToList();
        return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>A spread that one wild value does not move: 1.4826 × the median absolute deviation from the median (the
    /// standard deviation for normal noise) when there are three values or more; the sample standard deviation for two
    /// (NaN for fewer). Three seeds of which one failed to train (a CTC model stuck on blanks, CER 1.0 beside 0.78 and
    /// 0.79) have a sample spread of 0.12 but a robust one of 0.01.</summary>
    public static double RobustStd(IReadOnlyList<double> values)
    {
        if (values.Count < 3) return SampleStd(values);
        double median = Median(values);
        return 1.4826 * Median(values.Select(v => Math.Abs(v - median)));
    }
}
