using System;
using System.IO;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Secrets;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// Refuses, as ssh does, a profile or secret file that another local user could have written: one writable by group or
/// others, or owned by someone other than this user or root. Such a user could point the authority host at their own server and collect the
/// secret at the next send, so nothing is read from the file and nothing is sent.
/// </summary>
internal static class StoreFileSafety
{
    private const int GroupOrOtherWrite = 0x12; // 022

    /// <exception cref="OAuthSmtpException">ProfileStoreInsecure.</exception>
    public static void Require(string path)
    {
        if (!UnixPermissions.Applies || !File.Exists(path))
        {
            return;
        }

        var mode = UnixPermissions.Get(path);
        if (mode is null)
        {
            return;
        }

        string? problem = null;
        if ((mode.Value & GroupOrOtherWrite) != 0)
        {
            problem = $"is writable by group or others (mode {Convert.ToString(mode.Value & 0xFFF, 8)})";
        }
        else if (!UnixPermissions.IsOwnedByCurrentUserOrRoot(path))
        {
            problem = "is owned by another user";
        }

        if (problem is not null)
        {
            throw new OAuthSmtpException(
                ErrorIds.ProfileStoreInsecure,
                ErrorKind.SecurityError,
                $"The profile store file '{path}' {problem}, so another local user could have changed where your secret is sent. It was not used and nothing was sent.",
                $"Check the file's content, then make it yours and private: chown \"$(id -un)\" '{path}'; chmod 600 '{path}'.",
                path);
        }
    }
}
