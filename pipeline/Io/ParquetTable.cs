using System.Reflection;
using System.Text.Json.Serialization;
using Parquet.Serialization;

namespace Lab.Pipeline.Io;

/// <summary>Reads and writes rows of a record type as a Parquet file (column names from [JsonPropertyName]).</summary>
public static class ParquetTable
{
    /// <summary>Writes the rows atomically.</summary>
    public static Task Write<T>(string path, IEnumerable<T> rows) where T : class, new()
        => AtomicFile.WriteAsync(path, s => ParquetSerializer.SerializeAsync(rows.ToList(), s));

    /// <summary>All rows of the file, or a problem naming the file. A table another tool wrote (DuckDB, pandas, Spark:
    /// optional columns, other integer widths, other column order or extra columns) is read by column name when it holds
    /// the right columns; otherwise the problem names the file, the column and what is wrong with it.</summary>
    public static async Task<Either<Problem, List<T>>> Read<T>(string path) where T : class, new()
    {
        if (!File.Exists(path)) return new Problem($"{path}: no such file");
        const string fix = "delete it to recompute, or point at the right file";
        try
        {
            await using var s = File.OpenRead(path);
            var result = await ParquetSerializer.DeserializeAsync<T>(s);
            return result.Data.ToList();
        }
        catch (Exception e) when (Unreadable(e))
        {
            // not as this program writes it: read it by column name, if it is a Parquet table at all
            try
            {
                await using var s = File.OpenRead(path);
                var untyped = await ParquetSerializer.DeserializeUntypedAsync(s);
                return ByName<T>(path, untyped.Schema.Fields.Select(f => f.Name).ToList(), untyped.Data.Select(r => (IDictionary<string, object?>)r!)).MapLeft(p => p with { Fix = fix });
            }
            catch (Exception e2) when (Unreadable(e2))
            {
                return new Problem($"{path}: not a readable Parquet file of {typeof(T).Name} rows ({e.Message})", fix);
            }
        }
    }

    static bool Unreadable(Exception e)
        => e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or Parquet.ParquetException
            or InvalidCastException or FormatException or OverflowException or IndexOutOfRangeException;

    /// <summary>Rows of <typeparamref name="T"/> from untyped rows, column by column: every property's column must be
    /// there (but a property marked [DefaultValue], a column added later: a table written before it keeps the
    /// property's default), and hold values of its type (any integer width that fits, float for double, no nulls in a
    /// non-nullable column).</summary>
    static Either<Problem, List<T>> ByName<T>(string path, IReadOnlyList<string> columns, IEnumerable<IDictionary<string, object?>> rows) where T : class, new()
    {
        var props = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => (Prop: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name)).ToList();
        var list = rows.ToList();
        props = props.Where(p => columns.Contains(p.Name) || p.Prop.GetCustomAttribute<System.ComponentModel.DefaultValueAttribute>() is null).ToList();
        if (props.FirstOrDefault(p => !columns.Contains(p.Name)) is { Prop: not null } missing)
            return new Problem($"{path}: the column '{missing.Name}' of {typeof(T).Name} rows is missing (it has {string.Join(", ", columns)})");
        var result = new List<T>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            var row = new T();
            foreach (var (prop, name) in props)
            {
                var value = list[i].TryGetValue(name, out var v) ? v : null;   // (a null value may have no entry)
                var converted = Convert(value, prop.PropertyType);
                if (converted.IsLeft)
                    return new Problem($"{path}: row {i + 1}, column '{name}': {converted.Match(_ => "", w => w)}");
                prop.SetValue(row, converted.Match(v => v, _ => null));
            }
            result.Add(row);
        }
        return result;
    }

    static Either<string, object?> Convert(object? value, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        bool nullable = !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
        if (value is null)
            return nullable && type != typeof(string) ? Right<string, object?>(null) : Left<string, object?>($"empty (null), where a {Name(target)} is needed");
        try
        {
            object v = value switch
            {
                DateTimeOffset o when target == typeof(DateTime) => o.UtcDateTime,
                DateTime d when target == typeof(DateTimeOffset) => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                _ when target.IsInstanceOfType(value) => value,
                string when target != typeof(string) => throw new InvalidCastException(),
                _ when target == typeof(string) => throw new InvalidCastException(),
                IConvertible when target.IsPrimitive || target == typeof(decimal) => System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture),
                _ => throw new InvalidCastException()
            };
            // integers must keep their value (a double 2.5 is not an int 2)
            if (target.IsPrimitive && target != typeof(double) && target != typeof(float) && target != typeof(bool) && value is double or float or decimal
                && System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) != System.Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture))
                return $"{value} is not a whole number, where a {Name(target)} is needed";
            return v;
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            return $"{value} ({value.GetType().Name}) is not a {Name(target)}";
        }
    }

    static string Name(Type t) => t == typeof(string) ? "text" : t == typeof(double) || t == typeof(float) ? "number"
        : t == typeof(int) || t == typeof(long) ? "whole number" : t == typeof(DateTime) ? "timestamp" : t.Name;
}
