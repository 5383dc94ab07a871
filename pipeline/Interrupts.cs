using System.Runtime.InteropServices;

namespace Lab.Pipeline;

/// <summary>
/// SIGINT (Ctrl+C), SIGTERM (kill, Slurm's pre-emption and time limit) and SIGQUIT, for the whole process: during a
/// study command (<see cref="Guard"/>: run, plan, trial, advance, submit) the first signal asks it to stop at the next safe point — a trial in training is abandoned at its next
/// batch (nothing of it is written), one past training finishes and is kept, no further trial starts — and the command
/// ends with one line saying what is kept and how to resume, exit code 128 + the signal (130, 143, 131). A second
/// signal ends the process at once (files are written atomically: nothing half-written is left under a real name).
/// </summary>
public static class Interrupts
{
    static readonly CancellationTokenSource source = new();
    static readonly List<PosixSignalRegistration> registrations = [];
    static int signal, guarded;

    /// <summary>Cancelled when a stop was asked for.</summary>
    public static CancellationToken Token => source.Token;

    /// <summary>Whether a stop was asked for.</summary>
    public static bool Requested => source.IsCancellationRequested;

    /// <summary>The signal's name (SIGINT, SIGTERM, SIGQUIT).</summary>
    public static string Name => signal switch { 2 => "SIGINT", 3 => "SIGQUIT", 15 => "SIGTERM", _ => $"signal {signal}" };

    /// <summary>The command line that resumes (the one that is running), as the CLI saw it.</summary>
    public static string Command { get; set; } = "the same command";

    /// <summary>The exit code of a command that stopped for the signal: 128 + its number.</summary>
    public static int ExitCode => 128 + signal;

    /// <summary>Installs the handlers once per process; <paramref name="say"/> gets the line shown at the first signal.</summary>
    public static void Install(Action<string> say)
    {
        lock (registrations)
        {
            if (registrations.Count > 0) return;
            foreach (var (s, n) in new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGQUIT, 3) })
                registrations.Add(PosixSignalRegistration.Create(s, ctx =>
                {
                    // outside a study command (fit, bench, reeval) and at a second signal: the default (the process ends now)
                    if (Volatile.Read(ref guarded) == 0 || Interlocked.CompareExchange(ref signal, n, 0) != 0) return;
                    ctx.Cancel = true;
                    say($"{Name}: stopping at the next safe point (a trial in training is abandoned, one being exported finishes); send it again to stop at once");
                    source.Cancel();
                }));
        }
    }

    /// <summary>While the returned scope lives, a first signal stops at the next safe point instead of ending the process
    /// (the study commands: their trials and files have safe points; the other commands simply end).</summary>
    public static IDisposable Guard()
    {
        Interlocked.Increment(ref guarded);
        return new Scope();
    }

    sealed class Scope : IDisposable
    {
        int done;
        public void Dispose() { if (Interlocked.Exchange(ref done, 1) == 0) Interlocked.Decrement(ref guarded); }
    }

    /// <summary>The problem that ends a command stopped by the signal: what happened to the trial under way, what is kept,
    /// and the command that resumes.</summary>
    public static Problem Stopped(string trial, string kept, string resume)
        => new($"{Name}: stopped; {trial}; {kept}", $"resume with: {resume}") { ExitCode = ExitCode };
}
