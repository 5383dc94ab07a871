namespace Lab.Pipeline;

/// <summary>Chooses the torch device and sets thread counts (the side-effecting part of start-up).</summary>
public static class Devices
{
    /// <summary>auto = CUDA when TorchSharp sees it, else CPU; cuda where there is none is a problem.</summary>
    public static Either<Problem, Device> Choose(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "auto" => cuda.is_available() ? CUDA : CPU,
        "cuda" => cuda.is_available() ? CUDA
            : new Problem("--device cuda: TorchSharp sees no CUDA device here", "use --device cpu or auto, or build with -p:Accelerator=cuda on a GPU machine"),
        _ => new Problem($"unknown device '{name}'", "use auto, cpu or cuda")
    };

    /// <summary>Gives torch an explicit thread count (small models run erratically otherwise).</summary>
    public static int SetThreads(int requested)
    {
        int n = requested > 0 ? requested : Environment.ProcessorCount;
        set_num_threads(n);
        return n;
    }
}
