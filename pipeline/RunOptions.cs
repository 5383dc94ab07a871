namespace Lab.Pipeline;

/// <summary>The options of `pipeline run`, as parsed.</summary>
/// <param name="Reverse">Translation: translate from the second language into the first (default: first → second).</param>
/// <param name="Arch">Which model families of the preset to train (domain names, or "all"; "default" is the domain's choice).</param>
public sealed record RunOptions(string Domain, string Preset, string? Data, string Out, string Device, int Threads, long Seed, bool Reverse = false, string Arch = "default");
