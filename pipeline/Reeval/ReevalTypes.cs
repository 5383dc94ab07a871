namespace Lab.Pipeline.Reeval;

/// <summary>What a domain needs to rebuild and run a model's evaluation.</summary>
/// <param name="ModelPath">The ONNX file.</param>
/// <param name="Metadata">Its metadata_props.</param>
/// <param name="DataPath">--data, when given (else the domain's shipped data, if the model was trained on it).</param>
/// <param name="Batch">Evaluation batch (0: the one recorded in the model).</param>
public sealed record ReevalRequest(string ModelPath, IReadOnlyDictionary<string, string> Metadata, string? DataPath, int Batch);

/// <summary>A domain's measurement of one model.</summary>
/// <param name="Metric">Metric name, as in trials.parquet.</param>
/// <param name="Value">Its value now.</param>
/// <param name="Examples">Evaluation units (tokens, images).</param>
/// <param name="Batch">Batch size used.</param>
/// <param name="BatchSeconds">Time of each batch's run.</param>
/// <param name="DataPath">The data that was read.</param>
/// <param name="FingerprintFound">Fingerprint of the rebuilt data.</param>
public sealed record ReevalMeasurement(string Metric, double Value, long Examples, int Batch, double[] BatchSeconds, string DataPath, string FingerprintFound);
