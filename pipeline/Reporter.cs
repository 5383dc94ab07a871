using Spectre.Console;

namespace Lab.Pipeline;

/// <summary>Terminal output: one line per event (works in batch logs), a table at the end.</summary>
public sealed class Reporter
{
    readonly bool quiet;
    readonly TextWriter? errors, output;

    /// <summary>A reporter; quiet drops progress lines (tables and errors still print). Errors and plain results go to
    /// the given writers (default: the process's standard error and output).</summary>
    public Reporter(bool quiet = false, TextWriter? errors = null, TextWriter? output = null)
    {
        this.quiet = quiet; this.errors = errors; this.output = output;
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160; // batch logs: do not wrap at 80 columns
    }

    /// <summary>A progress line.</summary>
    public void Line(string text)
    {
        if (quiet) return;
        if (Console.IsOutputRedirected) Console.Out.WriteLine(text);   // batch logs: one line per event, never wrapped
        else AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    /// <summary>
    /// Runs a long step under a live status line on an interactive terminal (a spinner with the text that
    /// <paramref name="work"/> reports through its callback); in batch logs it just runs it.
    /// </summary>
    public T Step<T>(string label, Func<Action<string>, T> work)
    {
        if (quiet || !AnsiConsole.Profile.Capabilities.Interactive) return work(_ => { });
        return AnsiConsole.Status().Start(Markup.Escape(label), ctx => work(text => ctx.Status(Markup.Escape($"{label}: {text}"))));
    }

    /// <summary>An error line on stderr.</summary>
    public void Error(string text) => (errors ?? Console.Error).WriteLine($"error: {text}");

    /// <summary>A plain result line on standard output (for scripts: job ids and the like), even when quiet.</summary>
    public void Plain(string text) => (output ?? Console.Out).WriteLine(text);

    /// <summary>A table.</summary>
    public void Table(string title, string[] headers, IEnumerable<string[]> rows)
    {
        var t = new Table { Title = new TableTitle(Markup.Escape(title)) };
        foreach (var h in headers) t.AddColumn(Markup.Escape(h));
        foreach (var r in rows) t.AddRow(r.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(t);
    }
}
