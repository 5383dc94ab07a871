using System.Text.Json.Serialization;

namespace Lab.Pipeline.Results;

/// <summary>One curve of the fitter's calibration suite (calibration.parquet, from `pipeline fit-calibrate --out`): how it
/// was drawn, what the fitter chose, how much of its held-out truth the 95 % band held and how far the prediction missed.</summary>
public sealed record CalibrationRow
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("layout")] public string Layout { get; init; } = "";
    [JsonPropertyName("fit_points")] public int FitPoints { get; init; }
    [JsonPropertyName("noise")] public double Noise { get; init; }
    [JsonPropertyName("curve_seed")] public int CurveSeed { get; init; }
    [JsonPropertyName("theta")] public string Theta { get; init; } = "";
    [JsonPropertyName("change_beyond_data")] public bool ChangeBeyondData { get; init; }
    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("tied")] public int Tied { get; init; }
    [JsonPropertyName("held")] public int Held { get; init; }
    [JsonPropertyName("covered")] public int Covered { get; init; }
    [JsonPropertyName("coverage")] public double Coverage { get; init; } = double.NaN;
    [JsonPropertyName("rmsle")] public double Rmsle { get; init; } = double.NaN;
    [JsonPropertyName("rmsle_truth")] public double RmsleTruth { get; init; } = double.NaN;
    [JsonPropertyName("drift")] public double Drift { get; init; } = double.NaN;
    [JsonPropertyName("zero_width")] public bool ZeroWidth { get; init; }
    [JsonPropertyName("miss_to_band_median")] public double MissToBandMedian { get; init; } = double.NaN;
    [JsonPropertyName("miss_to_band_max")] public double MissToBandMax { get; init; } = double.NaN;
    [JsonPropertyName("error")] public string Error { get; init; } = "";
}
