using System;
using System.IO;
using System.Runtime.InteropServices;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Whether a path names a regular file (or a link to one). Only regular files are attached: opening a FIFO blocks
/// until a writer appears and a device such as /dev/zero never ends. netstandard2.0 has no API for the file type,
/// so on Unix it comes from the runtime's own stat (System.Native, whose FileStatus starts with Flags and Mode on
/// every .NET since Core 2.1 and whose type bits are the POSIX S_IF* values).
/// </summary>
internal static class RegularFile
{
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    /// <summary>Null when <paramref name="path"/> is a regular file; otherwise what it is, in words.</summary>
    public static string? Problem(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            var attributes = File.GetAttributes(path);
            return (attributes & FileAttributes.Directory) != 0 ? "a folder"
                : (attributes & FileAttributes.Device) != 0 ? "a device"
                : null;
        }

        var mode = UnixMode(path);
        return mode is null || (mode.Value & TypeMask) == Regular
            ? null
            : (mode.Value & TypeMask) switch
            {
                0x1000 => "a named pipe (FIFO)",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0x4000 => "a folder",
                0xC000 => "a socket",
                _ => "not a regular file",
            };
    }

    private static int? UnixMode(string path)
    {
        try
        {
            var status = new byte[512];
            // The path as NUL-terminated UTF-8, as System.Native expects it (no ANSI marshalling involved).
            var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
            return Stat(bytes, status) == 0 ? BitConverter.ToInt32(status, 4) : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
        {
            // Not a .NET runtime with System.Native (Windows PowerShell runs on Windows only): the read timeout still bounds it.
            return null;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat(byte[] path, byte[] status);
}
