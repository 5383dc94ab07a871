using Lab.Pipeline;
using TorchSharp;

namespace Lab.Tests;

/// <summary>The torch thread: every caller's work runs on one long-lived thread, results and exceptions come back, and
/// work started from that thread runs inline (no deadlock); the OpenMP workers torch starts belong to it.</summary>
public class TorchThreadTests
{
    [Fact]
    public async Task Work_from_many_threads_runs_on_one_thread_and_returns_its_result_or_exception()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => TorchThread.Run(() => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, i * i)))));
        Assert.Single(ids.Select(x => x.CurrentManagedThreadId).Distinct());
        Assert.All(ids, x => Assert.Equal("torch", x.Name));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i * i), ids.Select(x => x.Item3));
        Assert.NotEqual(Environment.CurrentManagedThreadId, ids[0].CurrentManagedThreadId);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => TorchThread.Run<int>(() => throw new InvalidOperationException("inside")));
        Assert.Equal("inside", thrown.Message);
        // work that asks for the torch thread from the torch thread runs inline, not queued behind itself
        var nested = TorchThread.Run(() => TorchThread.Run(() => Environment.CurrentManagedThreadId).GetAwaiter().GetResult());
        Assert.Same(nested, await Task.WhenAny(nested, Task.Delay(TimeSpan.FromSeconds(30))));   // else it waited for itself
        Assert.Equal(ids[0].CurrentManagedThreadId, await nested);
    }

    [Fact]
    public async Task Torch_parallel_work_from_several_callers_keeps_one_team_of_OpenMP_workers()
    {
        // OpenMP workers are created by the thread that opens a parallel region and inherit its name (Linux)
        static int Named(string name) => Directory.GetDirectories("/proc/self/task")
            .Count(t => { try { return File.ReadAllText(Path.Combine(t, "comm")).Trim() == name; } catch (IOException) { return false; } });
        Assert.True(OperatingSystem.IsLinux(), "thread names are read from /proc");
        // two threads open a team (the tests pin torch to one; set on the torch thread, put back after)
        int before = await TorchThread.Run(() => { int n = torch.get_num_threads(); torch.set_num_threads(2); return n; });
        try
        {
            static double Parallel() { using var x = torch.ones(1 << 22); using var y = x.mul(2).sum(); return y.item<float>(); }
            Assert.Equal(2.0 * (1 << 22), await TorchThread.Run(Parallel));
            int team = Named("torch");
            Assert.True(team >= 2, $"the torch thread and its OpenMP worker: {team} thread(s) named 'torch'");
            for (int i = 0; i < 4; i++)
            {
                var caller = new Thread(() => TorchThread.Run(Parallel).GetAwaiter().GetResult()) { Name = $"caller{i}" };
                caller.Start(); caller.Join();
            }
            Assert.Equal(team, Named("torch"));
        }
        finally { await TorchThread.Run(() => { torch.set_num_threads(before); return 0; }); }
    }
}
