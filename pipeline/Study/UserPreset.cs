namespace Lab.Pipeline.Study;

/// <summary>
/// A preset given as a file (<c>--preset my.json</c>: one preset object with the names of the domain's preset record,
/// as in data/presets/). It is read and checked once, when the study is planned, and kept in the study folder as
/// preset.json, so every trial, a resumed run and a cluster job read the same values from the study itself.
/// </summary>
public static class UserPreset
{
    /// <summary>Whether a --preset value names a file rather than a shipped preset.</summary>
    public static bool IsFile(string value)
        => value.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || value.Contains('/') || value.Contains('\\');

    /// <summary>Reads the preset in <paramref name="path"/>; with a study folder, keeps a copy of it there (refusing one
    /// that would replace a different preset of the same name, which would mix two presets' trials in one study).</summary>
    /// <param name="shipped">Whether a name is a shipped preset's (a file's preset must be named apart from them).</param>
    public static Either<Problem, T> Adopt<T>(string path, StudyFiles? study, Func<string, bool> shipped) where T : IPreset
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Problem($"{path}: cannot read the preset file ({e.Message})", "give a JSON preset file (see data/presets/)");
        }
        return from presets in PresetFile.Parse<T>(text, path)
               from one in presets.Count == 1 ? Right<Problem, T>(presets[0])
                   : new Problem($"{path}: holds {presets.Count} presets", "give a file with one preset object")
               from named in shipped(one.Name)
                   ? Left<Problem, T>(new Problem($"{path}: the preset is named '{one.Name}', like a shipped preset", "give it a name of its own, so results say which preset made them"))
                   : Right<Problem, T>(one)
               from kept in study is null ? Right<Problem, T>(named) : Keep(study, text, named)
               select kept;
    }

    static Either<Problem, T> Keep<T>(StudyFiles study, string text, T preset) where T : IPreset
    {
        if (File.Exists(study.Preset))
        {
            var before = PresetFile.Parse<T>(File.ReadAllText(study.Preset), study.Preset);
            if (before.Exists(p => p.Count == 1 && p[0].Name.Equals(preset.Name, StringComparison.OrdinalIgnoreCase) && !p[0].Equals(preset)))
                return new Problem($"{study.Preset}: this study was planned with another preset named '{preset.Name}'",
                    "give the new values their own name or study folder (--out)");
        }
        AtomicFile.WriteAllText(study.Preset, text);
        return preset;
    }

    /// <summary>The study's own preset of a name (from its preset.json), or a problem naming the shipped ones.</summary>
    public static Either<Problem, T> OfStudy<T>(StudyFiles? study, string name, IEnumerable<string> shipped) where T : IPreset
    {
        var unknown = new Problem($"unknown preset '{name}'", $"choose {string.Join(", ", shipped)} or a preset file (--preset my.json)");
        if (study is null || !File.Exists(study.Preset)) return unknown;
        return PresetFile.Parse<T>(File.ReadAllText(study.Preset), study.Preset)
            .Bind(ps => PresetFile.Find(ps, name).ToEither(unknown));
    }
}
