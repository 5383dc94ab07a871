namespace Lab.Tests;

/// <summary>Pins torch to one thread for the tests (xunit runs classes in parallel on 2 cores).</summary>
static class TorchSetup
{
    static readonly object gate = new();
    static bool done;
    public static void Once()
    {
        lock (gate)
        {
            if (done) return;
            TorchSharp.torch.set_num_threads(1);
            done = true;
        }
    }
}
