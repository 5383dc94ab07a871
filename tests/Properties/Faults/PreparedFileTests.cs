using Lab.Pipeline.Study;

namespace Lab.Tests.Faults;

/// <summary>The shared prepared-data format: a file cut anywhere, or with bytes flipped in its lengths, is a problem
/// naming it, never an exception or a short array.</summary>
public class PreparedFileTests
{
    static (string Fp, int[] A, byte[] B, string S) Read(BinaryReader r, string fp) => (fp, r.ReadInts(), r.ReadExactly(r.ReadCount()), r.ReadString());

    [Fact]
    public void A_file_cut_at_any_length_is_a_problem_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lab-prepared-{Guid.NewGuid():N}.bin");
        PreparedFile.Write(path, "LABTEST-1", "fp", w => { w.WriteInts([1, 2, 3, 4]); w.Write(5); w.Write(new byte[] { 9, 8, 7, 6, 5 }); w.Write("end"); });
        var whole = File.ReadAllBytes(path);
        var ok = PreparedFile.Read(path, "LABTEST-1", "test", Read);
        Assert.True(ok.IsRight);
        var (fp, a, b, end) = ok.IfLeft(_ => default);
        Assert.Equal(("fp", "end"), (fp, end));
        Assert.Equal([1, 2, 3, 4], a);
        Assert.Equal([9, 8, 7, 6, 5], b);
        for (int n = 0; n < whole.Length; n++)
        {
            File.WriteAllBytes(path, whole[..n]);
            var cut = PreparedFile.Read(path, "LABTEST-1", "test", Read);
            Assert.True(cut.IsLeft, $"cut at {n} bytes was read");
            Assert.Contains(path, cut.Match(_ => "", p => p.ToString()));
        }
        // the int array's length (bytes 13 to 16, after magic and fingerprint) made too large, then negative
        foreach (var (at, value) in new[] { (13, (byte)0xFF), (16, (byte)0x80) })
        {
            var bad = (byte[])whole.Clone(); bad[at] = value;
            File.WriteAllBytes(path, bad);
            Assert.True(PreparedFile.Read(path, "LABTEST-1", "test", Read).IsLeft, $"byte {at} = {value} was read");
        }
        File.WriteAllBytes(path, [.. whole, 0]);
        Assert.Contains("1 bytes after", PreparedFile.Read(path, "LABTEST-1", "test", Read).Match(_ => "", p => p.ToString()));
        File.WriteAllBytes(path, whole);
        Assert.Contains("not a prepared test data file", PreparedFile.Read(path, "LABTEST-2", "test", Read).Match(_ => "", p => p.ToString()));
        File.Delete(path);
    }
}
