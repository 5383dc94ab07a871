namespace Lab.Pipeline;

/// <summary>The options of `pipeline run`, as parsed.</summary>
/// <param name="Reverse">Translation: translate from the second language into the first (default: first → second).</param>
/// <param name="Arch">Which model families of the preset to train (domain names, or "all"; "default" is the domain's choice).</param>
/// <param name="TargetError">A target of the primary metric whose data, model size and compute the report projects (besides
/// the errors at 2× and 4× the data, which it always projects).</param>
/// <param name="Repeats">`bench`: repetitions of every figure after its warm-up.</param>
/// <param name="BenchModel">`bench`: only the models whose name contains this (all when null).</param>
/// <param name="StartOver">`run`/`plan`: move the study the --out folder holds aside (into superseded/) and start a new one.</param>
/// <param name="Provider">ONNX Runtime's execution provider for the evaluations: auto, cpu or cuda.</param>
/// <param name="Jobs">`run`: trials of a round trained at once, each in a worker process (<see cref="Study.RoundWorkers"/>).</param>
public sealed record RunOptions(string Domain, string Preset, string? Data, string Out, string Device, int Threads, long Seed, bool Reverse = false,
    string Arch = "default", double? TargetError = null, int Repeats = 3, string? BenchModel = null, bool StartOver = false, string Provider = "auto",
    int Jobs = 1);
