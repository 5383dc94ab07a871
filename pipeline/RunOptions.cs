namespace Lab.Pipeline;

/// <summary>The options of `pipeline run`, as parsed.</summary>
public sealed record RunOptions(string Domain, string Preset, string? Data, string Out, string Device, int Threads, long Seed);
