using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace OAuthSmtp.Engine.Secrets;

/// <summary>
/// chmod through libc: netstandard2.0 has no File.SetUnixFileMode. Used for the secrets folder (0700) and
/// secret files (0600) on Linux and macOS.
/// </summary>
internal static class UnixPermissions
{
    public const int OwnerReadWrite = 0x180; // 0600

    public const int OwnerAll = 0x1C0; // 0700

    public static bool Applies => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <exception cref="Win32Exception">chmod failed; the message carries errno's text.</exception>
    public static void Set(string path, int mode)
    {
        if (chmod(NullTerminatedUtf8(path), mode) != 0)
        {
            throw new Win32Exception(Marshal.GetLastWin32Error());
        }
    }

    /// <summary>The permission bits of a file (for tests and checks), or null where they do not apply.</summary>
    public static int? Get(string path)
    {
        if (!Applies)
        {
            return null;
        }

        // stat's struct layout differs between platforms, so read the mode through File.GetUnixFileMode where
        // the runtime has it (.NET 7+, which is PowerShell 7.4+ and the tests).
        var method = typeof(System.IO.File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
        if (method is null)
        {
            return null;
        }

        return Convert.ToInt32(method.Invoke(null, new object[] { path }), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Whether the file belongs to this user or to root (as ssh accepts: root could replace any file anyway). The owner
    /// comes from the runtime's own stat (System.Native's FileStatus: Flags, Mode, Uid, … on every platform, so its
    /// layout does not vary the way libc's struct stat does). A chmod probe cannot answer this for root, who may chmod
    /// any file; the owner id can. Unknown (no System.Native) counts as owned: the mode check still applies.
    /// </summary>
    public static bool IsOwnedByCurrentUserOrRoot(string path)
    {
        var owner = OwnerId(path);
        return owner is null || owner == 0 || owner == geteuid();
    }

    /// <summary>The file's owner uid (links followed), or null where it cannot be read.</summary>
    public static uint? OwnerId(string path)
    {
        try
        {
            var status = new byte[512];
            return SystemNativeStat(NullTerminatedUtf8(path), status) == 0 ? BitConverter.ToUInt32(status, 8) : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int SystemNativeStat(byte[] path, byte[] status);

    [DllImport("libc")]
    private static extern uint geteuid();

    // The path goes to libc as UTF-8 bytes, as Linux and macOS file names are, not in the ANSI code page
    // (netstandard2.0 has no UTF-8 string marshalling, so the bytes are made here).
    [DllImport("libc", SetLastError = true)]
    private static extern int chmod(byte[] path, int mode);

    private static byte[] NullTerminatedUtf8(string path) => System.Text.Encoding.UTF8.GetBytes(path + "\0");
}
