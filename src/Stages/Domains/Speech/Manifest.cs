using LanguageExt;
using System.Text;
using System.Text.Json;

namespace Lab.Stages.Domains.Speech;

/// <summary>One line of a NeMo-style manifest: the audio file (absolute, or relative to the manifest's folder), its
/// duration in seconds and its transcript. Extra fields (voice, speaker, …) are kept for the record only.</summary>
public sealed record ManifestEntry(string AudioPath, double Duration, string Text);

/// <summary>Reads and writes JSON-lines manifests ({"audio_filepath": …, "duration": …, "text": …} per line).</summary>
public static class Manifest
{
    /// <summary>The entries of a manifest's text, paths resolved against <paramref name="folder"/>; a problem names the
    /// file and line of the first bad entry.</summary>
    public static Either<Problem, Seq<ManifestEntry>> Parse(string name, string folder, string text)
    {
        var entries = new List<ManifestEntry>();
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            string Where() => $"{name}:{lineNo}";
            try
            {
                using var doc = JsonDocument.Parse(line);
                var o = doc.RootElement;
                if (o.ValueKind != JsonValueKind.Object) return new Problem($"{Where()}: not a JSON object", "one {\"audio_filepath\", \"duration\", \"text\"} object per line");
                if (!o.TryGetProperty("audio_filepath", out var a) || a.ValueKind != JsonValueKind.String || a.GetString()!.Length == 0)
                    return new Problem($"{Where()}: no \"audio_filepath\" string", "one {\"audio_filepath\", \"duration\", \"text\"} object per line");
                if (!o.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
                    return new Problem($"{Where()}: no \"text\" string", "one {\"audio_filepath\", \"duration\", \"text\"} object per line");
                double duration = o.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : double.NaN;
                var path = a.GetString()!;
                entries.Add(new ManifestEntry(Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path)), duration, t.GetString()!));
            }
            catch (JsonException e) { return new Problem($"{Where()}: not valid JSON ({e.Message})", "one JSON object per line (JSON lines)"); }
        }
        if (entries.Count == 0) return new Problem($"{name}: the manifest lists no utterances");
        return entries.ToSeq();
    }

    static readonly JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One manifest line; extra string fields are appended after the standard three.</summary>
    public static string Line(string audioPath, double duration, string text, IReadOnlyList<(string Key, string Value)>? extra = null)
    {
        var sb = new StringBuilder();
        sb.Append("{\"audio_filepath\": ").Append(JsonSerializer.Serialize(audioPath, Plain))
          .Append(", \"duration\": ").Append(Math.Round(duration, 3).ToString("R", System.Globalization.CultureInfo.InvariantCulture))
          .Append(", \"text\": ").Append(JsonSerializer.Serialize(text, Plain));
        foreach (var (k, v) in extra ?? []) sb.Append(", ").Append(JsonSerializer.Serialize(k, Plain)).Append(": ").Append(JsonSerializer.Serialize(v, Plain));
        return sb.Append('}').ToString();
    }
}
