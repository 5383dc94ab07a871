using System.Text.Json;
using System.Text.Json.Serialization;
using LanguageExt;
using Lab.Stages.Core;

namespace Lab.Stages.Search;

/// <summary>
/// Presets as data: a JSON file (comments and trailing commas allowed) holding one preset object or an array of them,
/// with the preset record's own names (<c>"Name"</c>, <c>"Shards"</c>, <c>"Models"</c>, …). Every value of the record
/// must be given except those with a default (the search settings' fields); a name the record does not have is an
/// error, not ignored, so a typo never silently falls back to a default.
/// </summary>
public static class PresetFile
{
    /// <summary>The reading (and writing) options: strict members, comments, indented output.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        Converters = { new SeqJsonConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { ValuesOnly } },
    };

    /// <summary>A record is its constructor's values: properties computed from them (a preset's <c>Hyper</c>, a model's
    /// <c>Name</c>) are neither written nor accepted.</summary>
    static void ValuesOnly(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object) return;
        var ctor = info.Type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        if (ctor is null || ctor.GetParameters().Length == 0) return;
        var values = ctor.GetParameters().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in info.Properties.Where(p => !values.Contains(p.Name)).ToList())
            info.Properties.Remove(property);
    }

    /// <summary>The presets in a JSON text (<paramref name="source"/> names it in a problem), or a problem naming the
    /// source, where in it and what is wrong.</summary>
    public static Either<Problem, Seq<T>> Parse<T>(string json, string source) where T : IPreset
    {
        try
        {
            bool many;
            using (var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
                many = doc.RootElement.ValueKind == JsonValueKind.Array;
            var presets = many ? JsonSerializer.Deserialize<T[]>(json, Options) ?? [] : [JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("the preset is null")];
            if (presets.Any(p => p is null)) return new Problem($"{source}: a preset is null", "give every preset as an object");
            var names = presets.Select(NameOf).ToArray();
            var twice = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (presets.Length == 0) return new Problem($"{source}: no preset in the file", "give one preset object or an array of them");
            if (names.Any(string.IsNullOrWhiteSpace)) return new Problem($"{source}: a preset without a \"Name\"", "give every preset a name");
            if (twice is not null) return new Problem($"{source}: two presets are named '{twice.Key}'", "give each preset its own name");
            // every bad value of every preset, said at once
            var bad = presets.SelectMany(p => p.Check().Match(_ => [], fails => new[] { $"preset '{p.Name}': {string.Join("; ", fails)}" })).ToList();
            if (bad.Count > 0) return new Problem($"{source}: {string.Join("; ", bad)}", "correct these values (see data/presets/ for working presets)");
            return new Seq<T>(presets);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is long line ? $" (line {line + 1}{(e.Path is { Length: > 0 } p ? $", at {p}" : "")})" : "";
            return new Problem($"{source}: not a valid preset{where}: {e.Message.Split(" Path:")[0]}",
                $"write the preset's values with the names of {typeof(T).Name} (see data/presets/ for examples)");
        }
    }

    /// <summary>The preset of a name among <paramref name="presets"/> (case-insensitive), if there is one.</summary>
    public static Option<T> Find<T>(Seq<T> presets, string name) where T : IPreset
        => presets.Find(p => string.Equals(NameOf(p), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A preset as the JSON this class reads.</summary>
    public static string Write<T>(T preset) where T : IPreset => JsonSerializer.Serialize(preset, Options);

    static string NameOf<T>(T preset) where T : IPreset => preset.Name;
}
