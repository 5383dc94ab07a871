using LanguageExt;

namespace Lab.Stages.Search;

/// <summary>
/// The presets a domain ships: <c>data/presets/&lt;domain&gt;.json</c>, compiled into this assembly (so a published
/// program, a test or a re-evaluation on another machine has them without the repository). Looked up by name.
/// </summary>
/// <typeparam name="T">The domain's preset record.</typeparam>
public sealed class PresetSet<T> where T : IPreset
{
    readonly Lazy<Seq<T>> all;

    /// <summary>The presets of <paramref name="file"/> (the file name under data/presets, without ".json").</summary>
    public PresetSet(string file)
    {
        File = file;
        all = new(() => PresetFile.Parse<T>(Text(file), $"data/presets/{file}.json")
            .Match(p => p, problem => throw new InvalidOperationException($"the shipped presets are broken: {problem}")));
    }

    /// <summary>The file's name under data/presets (without ".json").</summary>
    public string File { get; }
    /// <summary>Every preset in the file, in its order.</summary>
    public Seq<T> All => all.Value;
    /// <summary>The preset of a name (case-insensitive), if the file has one.</summary>
    public Option<T> Named(string name) => PresetFile.Find(All, name);
    /// <summary>Seconds: the preset the tests and a first try use.</summary>
    public T Smoke => Required("smoke");
    /// <summary>The default study (docs/domains.md: its measured time on 2 cores).</summary>
    public T Default => Required("default");
    /// <summary>Hours: the large study.</summary>
    public T Full => Required("full");

    T Required(string name) => Named(name).IfNone(() => throw new InvalidOperationException($"data/presets/{File}.json has no preset '{name}'"));

    static string Text(string file)
    {
        using var stream = typeof(PresetSet<T>).Assembly.GetManifestResourceStream($"presets/{file}.json")
            ?? throw new InvalidOperationException($"data/presets/{file}.json is not compiled into {typeof(PresetSet<T>).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
