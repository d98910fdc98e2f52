using System;
using System.IO;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// Replaces a file so that readers see either the old or the new content, never a mix: write a temporary file
/// in the same folder, flush it to disk, then rename it over the target (rename is atomic within a volume).
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>. <paramref name="beforeCommit"/> runs after the
    /// temporary file is complete and before the rename: tests use it to simulate a crash at the worst moment.
    /// </summary>
    public static void Write(string path, byte[] content, Action<string>? beforeCommit = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            // Private whatever the umask: a group-writable store is refused on read (StoreFileSafety).
            if (Secrets.UnixPermissions.Applies)
            {
                Secrets.UnixPermissions.Set(temporary, Secrets.UnixPermissions.OwnerReadWrite);
            }

            beforeCommit?.Invoke(temporary);
            Commit(temporary, path);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Renames a complete temporary file over the target.</summary>
    public static void Commit(string temporary, string target)
    {
        if (File.Exists(target))
        {
            File.Replace(temporary, target, destinationBackupFileName: null, ignoreMetadataErrors: true);
        }
        else
        {
            File.Move(temporary, target);
        }
    }
}
