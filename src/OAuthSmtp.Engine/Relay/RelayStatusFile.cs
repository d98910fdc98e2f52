using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// Reads and writes the relay's status file. The relay writes it atomically (readers never see half a file); a reader
/// that finds a Starting/Running/Stopping state whose process no longer exists reports NotRunning (a relay killed with
/// kill -9 cannot say so itself).
/// </summary>
public static class RelayStatusFile
{
    /// <summary>The status file is never read beyond this.</summary>
    public const long MaxStatusBytes = 1024 * 1024;

    /// <summary>Writes <paramref name="status"/> atomically (0600 on Linux and macOS), keeping at most the newest <see cref="RelayStatus.MaxLastErrors"/> errors.</summary>
    public static void Write(string path, RelayStatus status)
    {
        if (status is null)
        {
            throw new ArgumentNullException(nameof(status));
        }

        status.SchemaVersion = RelayStatus.CurrentSchemaVersion;
        if (status.LastErrors.Count > RelayStatus.MaxLastErrors)
        {
            status.LastErrors = status.LastErrors.Skip(status.LastErrors.Count - RelayStatus.MaxLastErrors).ToList();
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(status, StoredFileJson.Options));
    }

    /// <summary>The status as the relay last wrote it, with the state corrected to NotRunning when its process is gone; null when there is no file.</summary>
    /// <exception cref="OAuthSmtpException">RelayStatusCorrupt.</exception>
    public static RelayStatus? Read(string path) => Read(path, IsProcessAlive);

    internal static RelayStatus? Read(string path, Func<int, bool> isProcessAlive)
    {
        byte[] content;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > MaxStatusBytes)
            {
                throw Corrupt(path, $"it is larger than {MaxStatusBytes / 1024} KB", null);
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            content = buffer.ToArray();
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Corrupt(path, $"it cannot be read ({exception.Message})", exception);
        }

        RelayStatus? status;
        try
        {
            status = JsonSerializer.Deserialize<RelayStatus>(content, StoredFileJson.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw Corrupt(path, "it is not a valid status document", exception);
        }

        if (status?.SchemaVersion is null || status.SchemaVersion > RelayStatus.CurrentSchemaVersion)
        {
            throw Corrupt(path, status?.SchemaVersion is null ? "it lacks 'schemaVersion'" : $"it has schema version {status.SchemaVersion}, newer than this module reads", null);
        }

        status.Listeners ??= new();
        status.LastErrors ??= new();
        status.CredentialWarnings ??= new();
        if (status.State is RelayState.Starting or RelayState.Running or RelayState.Stopping && !isProcessAlive(status.ProcessId))
        {
            status.State = RelayState.NotRunning;
        }

        return status;
    }

    /// <summary>Whether a process with this id exists (on Linux, a pid reused by another program after a crash also counts).</summary>
    public static bool IsProcessAlive(int processId)
    {
        if (processId <= 0)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static OAuthSmtpException Corrupt(string path, string reason, Exception? inner) => new(
        ErrorIds.RelayStatusCorrupt,
        ErrorKind.InvalidData,
        $"The relay's status file '{path}' is damaged: {reason}.",
        "Restart the relay (Stop-SmtpOAuthRelay; Start-SmtpOAuthRelay); it writes the file anew.",
        path,
        inner);
}
