using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.Extensions.Msal;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Keeps delegated sign-ins (MSAL's account, refresh and access tokens) across processes, so a scheduled task
/// whose profile was signed in once keeps working until the refresh token expires. One file per profile under
/// "tokens/" in the profile store's folder, protected like profile secrets: DPAPI for the current user on
/// Windows (MSAL's cache extensions), a file only the user can read (folder 0700, file 0600) on Linux and
/// macOS, where no keyring can be assumed in a service or SSH session.
/// </summary>
internal static class DelegatedSignInCache
{
    public const string FolderName = "tokens";

    public static string DirectoryFor(string? configured) =>
        configured ?? Path.Combine(ProfileStoreLocation.DefaultDirectory(), FolderName);

    /// <summary>The cache file of a profile: named after a hash, so odd profile names make safe file names.</summary>
    public static string FileNameFor(SmtpOAuthProfile profile)
    {
        var identity = string.IsNullOrEmpty(profile.Name) ? "direct:" + profile.ClientId : "profile:" + profile.Name.ToUpperInvariant();
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(identity + "|" + profile.TenantId.ToUpperInvariant() + "|" + profile.AuthorityHost));
        return "delegated-" + string.Concat(hash.Take(12).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))) + ".cache";
    }

    public static async Task AttachAsync(IPublicClientApplication application, SmtpOAuthProfile profile, string directory)
    {
        Directory.CreateDirectory(directory);
        var isWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        if (!isWindows)
        {
            UnixPermissions.Set(directory, UnixPermissions.OwnerAll);
        }

        var builder = new StorageCreationPropertiesBuilder(FileNameFor(profile), directory);
        if (!isWindows)
        {
            // MSAL's extensions write this file with mode 0600 (and our folder is 0700).
            builder = builder.WithUnprotectedFile();
        }

        var helper = await MsalCacheHelper.CreateAsync(builder.Build()).ConfigureAwait(false);
        helper.RegisterCache(application.UserTokenCache);
    }

    /// <summary>Forgets a profile's delegated sign-in (Remove-SmtpOAuthProfile, or a new sign-in as someone else).</summary>
    public static void Delete(SmtpOAuthProfile profile, string directory)
    {
        var path = Path.Combine(directory, FileNameFor(profile));
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
