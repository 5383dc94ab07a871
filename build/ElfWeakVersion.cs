// Marks one version need of an ELF64 shared library WEAK in .gnu.version_r, in place.
// libLibTorchSharp.so 0.107.0 asks for GLIBCXX_3.4.32, which Debian 12's libstdc++ lacks; the only symbol under that
// version is a marker with no relocation, so a weak need lets the dynamic loader go on. Used by Directory.Build.targets
// after every build and publish (an incremental build copies the unpatched file back).
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class ElfWeakVersion : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        foreach (var f in Files)
        {
            var path = f.ItemSpec;
            if (!File.Exists(path)) continue;
            var result = Patch(path, Version);
            if (result.StartsWith("error")) { Log.LogError($"{path}: {result}"); return false; }
            Log.LogMessage(MessageImportance.Low, $"{path}: {result}");
        }
        return true;
    }

    /// <summary>Returns "patched", "already weak", "absent" or "error: ...".</summary>
    public static string Patch(string path, string version)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') return "error: not an ELF file";
        if (b[4] != 2 || b[5] != 1) return "error: only little-endian ELF64 is handled";
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != 0x6ffffffe) continue; // SHT_GNU_verneed
            long off = BitConverter.ToInt64(b, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 0x28), count = (int)BitConverter.ToUInt32(b, (int)sh + 0x2C);
            long strOff = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = off;
            for (int n = 0; n < count; n++)
            {
                int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    long nameAt = strOff + BitConverter.ToUInt32(b, (int)aux + 8);
                    int end = (int)nameAt; while (b[end] != 0) end++;
                    if (Encoding.ASCII.GetString(b, (int)nameAt, end - (int)nameAt) == version)
                    {
                        int flags = BitConverter.ToUInt16(b, (int)aux + 4);
                        if ((flags & 2) != 0) return "already weak";
                        BitConverter.GetBytes((ushort)(flags | 2)).CopyTo(b, (int)aux + 4);
                        var tmp = path + ".weak.tmp";
                        File.WriteAllBytes(tmp, b);
                        File.Copy(tmp, path, true); File.Delete(tmp);
                        return "patched";
                    }
                    aux += BitConverter.ToUInt32(b, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(b, (int)vn + 12);
            }
        }
        return "absent";
    }
}
