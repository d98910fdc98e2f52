using System;
using System.IO;
using System.Security;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Secrets;

/// <summary>
/// Secrets the user chose to keep unencrypted (-AllowUnprotectedSecret, where DPAPI is not available):
/// one file per profile, secrets/&lt;profile id&gt;.secret, in a folder only the user may enter (0700), each file
/// readable only by the user (0600). The mode is set before the secret is written, and the file is written
/// under a temporary name and renamed, so no reader ever sees a partial or world-readable secret.
/// </summary>
internal sealed class UnprotectedSecretFiles
{
    private const string Extension = ".secret";

    public UnprotectedSecretFiles(string storeDirectory)
    {
        Directory = Path.Combine(storeDirectory, "secrets");
    }

    public string Directory { get; }

    public string PathFor(string secretId) => Path.Combine(Directory, secretId + Extension);

    public void Write(string secretId, SecureString secret)
    {
        EnsureDirectory();
        var target = PathFor(secretId);
        var temporary = Path.Combine(Directory, secretId + "." + Guid.NewGuid().ToString("N") + ".tmp");
        var plain = SecureStringBytes.ToUtf8(secret);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (UnixPermissions.Applies)
                {
                    UnixPermissions.Set(temporary, UnixPermissions.OwnerReadWrite);
                }

                stream.Write(plain, 0, plain.Length);
                stream.Flush(flushToDisk: true);
            }

            AtomicFile.Commit(temporary, target);
        }
        finally
        {
            Array.Clear(plain, 0, plain.Length);
            TryDelete(temporary);
        }
    }

    /// <exception cref="IOException">The file is missing or unreadable.</exception>
    public SecureString Read(string secretId)
    {
        Profiles.StoreFileSafety.Require(PathFor(secretId));
        var plain = File.ReadAllBytes(PathFor(secretId));
        try
        {
            return SecureStringBytes.FromUtf8(plain);
        }
        finally
        {
            Array.Clear(plain, 0, plain.Length);
        }
    }

    /// <summary>Deletes the temporary files of writes that never finished (a crash between write and rename).</summary>
    /// <exception cref="IOException">A leftover exists and cannot be deleted.</exception>
    public void RemoveLeftovers()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        foreach (var leftover in System.IO.Directory.EnumerateFiles(Directory, "*.tmp"))
        {
            File.Delete(leftover);
        }
    }

    /// <exception cref="IOException">The file exists and cannot be deleted.</exception>
    public void Delete(string secretId)
    {
        var path = PathFor(secretId);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private void EnsureDirectory()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (UnixPermissions.Applies)
        {
            UnixPermissions.Set(Directory, UnixPermissions.OwnerAll);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file is only readable by the user.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
