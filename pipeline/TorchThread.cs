using System.Collections.Concurrent;

namespace Lab.Pipeline;

/// <summary>
/// The one thread of a process that runs torch work (trials, the planning's throw-away models, benchmarks).
/// libtorch's CPU build parallelises with GNU OpenMP, which keeps a team of worker threads per thread that opens a
/// parallel region and lets its idle workers spin only while the process's OpenMP threads fit the cores; past that
/// (on 2 cores, as soon as a second team exists) they spin 100 times and sleep, and every parallel region must wake
/// them. A study's async loop resumed its trials on whichever thread-pool thread it was given, so each new one grew a
/// team: the trainer and its worker then used ~80 % and ~65 % of a core (docs/bench.md). All torch work on one
/// long-lived thread keeps one team, as <c>pipeline bench</c> (on the main thread) always had.
/// </summary>
public static class TorchThread
{
    static readonly BlockingCollection<Action> Work = [];
    static readonly Lazy<Thread> Thread = new(() =>
    {
        // 16 MiB: the main thread's room (8 MiB) and then some; a trial's deepest stack is torch's, not ours
        var t = new Thread(() => { foreach (var job in Work.GetConsumingEnumerable()) job(); }, 16 << 20) { IsBackground = true, Name = "torch" };
        t.Start();
        return t;
    });

    /// <summary>Runs <paramref name="work"/> on the torch thread (inline when already on it) and gives its result or its
    /// exception.</summary>
    public static Task<T> Run<T>(Func<T> work)
    {
        if (System.Threading.Thread.CurrentThread == Thread.Value) return Task.FromResult(work());
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }
}
