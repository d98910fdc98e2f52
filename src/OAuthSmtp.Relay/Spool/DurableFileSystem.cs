using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace OAuthSmtp.Relay.Spool;

/// <summary>
/// The two things a crash-safe spool needs beyond File: a file's bytes on disk before it is renamed into place
/// (fsync of the file), and the rename itself on disk (fsync of the folder, which POSIX requires; a rename is
/// otherwise only in the page cache and a power loss can undo it). On Windows NTFS journals the rename and a folder
/// cannot be opened for flushing, so only the file is flushed.
/// </summary>
internal static class DurableFileSystem
{
    /// <summary>Renames within the spool (same file system: atomic) and makes the new name durable.</summary>
    public static void Move(string from, string to)
    {
        File.Move(from, to, overwrite: false);
        FlushDirectory(Path.GetDirectoryName(to)!);
        var fromDirectory = Path.GetDirectoryName(from)!;
        if (!string.Equals(fromDirectory, Path.GetDirectoryName(to), StringComparison.Ordinal))
        {
            FlushDirectory(fromDirectory);
        }
    }

    /// <summary>Writes a small file completely and durably under a temporary name, then renames it into place.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(path)!);
    }

    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var descriptor = NativeMethods.open(path, 0);
        if (descriptor < 0)
        {
            throw new IOException($"The folder '{directory}' cannot be opened to make its entries durable (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.fsync(descriptor) != 0)
            {
                throw new IOException($"The folder '{directory}' could not be flushed to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.close(descriptor);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA5392, SYSLIB1054 // libc is the system's C library; a source-generated import would need unsafe code for no gain here.
        internal static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int fsync(int descriptor);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int close(int descriptor);
#pragma warning restore CA5392, SYSLIB1054
    }
}
