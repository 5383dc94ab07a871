namespace Lab.Stages.Core;

/// <summary>The few summary statistics the study reports: sample standard deviation and median.</summary>
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
}
