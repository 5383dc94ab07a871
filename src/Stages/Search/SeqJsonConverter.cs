using System.Text.Json;
using System.Text.Json.Serialization;
using LanguageExt;

namespace Lab.Stages.Search;

/// <summary>Reads and writes LanguageExt's <see cref="Seq{A}"/> as a JSON array (System.Text.Json has no built-in
/// support for it).</summary>
public sealed class SeqJsonConverter : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type t) => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Seq<>);

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type t, JsonSerializerOptions options)
        => (JsonConverter)Activator.CreateInstance(typeof(Of<>).MakeGenericType(t.GetGenericArguments()[0]))!;

    sealed class Of<T> : JsonConverter<Seq<T>>
    {
        public override Seq<T> Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions options)
            => new(JsonSerializer.Deserialize<T[]>(ref reader, options) ?? throw new JsonException("expected an array, found null"));

        public override void Write(Utf8JsonWriter writer, Seq<T> value, JsonSerializerOptions options)
            => JsonSerializer.Serialize(writer, value.ToArray(), options);
    }
}
