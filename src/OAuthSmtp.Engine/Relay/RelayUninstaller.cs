using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// Uninstall-SmtpOAuthRelay's work: stops the relay, removes its service registration and deletes its configuration,
/// profile store, status and logs, but never a message a device was told was accepted: a spool that holds queued,
/// submitting, dead or delivery-unknown messages stays where it is unless the caller confirms deleting it, and with
/// it the relay's profile store (queued messages name the profile that sends them).
/// Only the relay's own files are deleted (by name), so a home or log folder shared with other things keeps them.
/// </summary>
public sealed class RelayUninstaller
{
    private static readonly string[] LogFilePatterns = { "outcomes*.jsonl", "inbound*.jsonl", "outbound*.log", "relay-console*.log" };

    private readonly RelayServiceManager _services;

    public RelayUninstaller(RelayServiceManager? services = null)
    {
        _services = services ?? new RelayServiceManager();
    }

    /// <summary>How long to wait for the relay to stop.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads what uninstalling would do; changes nothing.</summary>
    /// <exception cref="OAuthSmtpException">RelayNotInstalled, or the configuration or status cannot be read.</exception>
    public RelayUninstallPlan Plan(RelayConfigurationStore store, bool removeSpool)
    {
        if (store is null)
        {
            throw new ArgumentNullException(nameof(store));
        }

        var configuration = store.Load();
        var overview = RelayOverview.Read(store);
        var steps = _services.IsRegistered(configuration.Service) ? RelayServiceManager.UninstallSteps(configuration.Service) : Array.Empty<ServiceStep>();
        var spool = RelaySpoolContents.Read(store.Resolve(configuration.SpoolPath));
        return new RelayUninstallPlan(store, configuration, overview, steps, spool, Removals(store, configuration), removeSpool);
    }

    /// <summary>
    /// Stops the relay, unregisters it, counts the spool again and deletes the relay's files. The spool goes too when it
    /// holds no undelivered messages, or when the plan says RemoveSpool and <paramref name="confirmSpoolDeletion"/> agrees
    /// for the counts found after the stop.
    /// </summary>
    /// <exception cref="OAuthSmtpException">RelayStopFailed, RelayServiceCommandFailed, RelayRemoveFailed.</exception>
    public RelayUninstallResult Apply(RelayUninstallPlan plan, Func<RelaySpoolContents, bool> confirmSpoolDeletion, CancellationToken cancellationToken = default)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (confirmSpoolDeletion is null)
        {
            throw new ArgumentNullException(nameof(confirmSpoolDeletion));
        }

        var stopped = false;
        if (plan.IsRunning)
        {
            new RelayController(plan.Store, _services) { Timeout = Timeout }.Stop(force: false, cancellationToken);
            WaitUntilStopped(plan, cancellationToken);
            stopped = true;
        }

        _services.Apply(plan.ServiceSteps);

        // Counted again: the relay may have accepted or delivered messages between the plan and its stop.
        var spool = RelaySpoolContents.Read(plan.Spool.Path);
        var deleteSpool = spool.Undelivered == 0 || (plan.RemoveSpool && confirmSpoolDeletion(spool));
        var removed = new List<string>();
        var kept = new List<string>();
        foreach (var path in plan.Removals)
        {
            if (Delete(path))
            {
                removed.Add(path);
            }
        }

        var configuration = plan.Configuration;
        var profiles = plan.Store.Resolve(configuration.ProfileStorePath);
        if (!IsInside(profiles, plan.Store.Home))
        {
            kept.Add($"{profiles}: the relay's profile store is outside the relay home and may be shared; delete it yourself if it is the relay's alone");
        }
        else if (!deleteSpool)
        {
            kept.Add($"{profiles}: the relay's profile store, kept with the spool: its profiles send the queued messages once the relay is installed again");
        }
        else if (Delete(profiles))
        {
            removed.Add(profiles);
        }

        if (deleteSpool)
        {
            foreach (var folder in RelaySpoolContents.Folders.Select(f => Path.Combine(spool.Path, f)))
            {
                if (Delete(folder))
                {
                    removed.Add(folder);
                }
            }

            DeleteIfEmpty(spool.Path, removed);
        }
        else
        {
            kept.Add($"{spool.Path}: {spool.Describe()}");
        }

        DeleteIfEmpty(plan.Store.Resolve(configuration.LogPath), removed);
        DeleteIfEmpty(Path.GetDirectoryName(plan.Store.Resolve(configuration.StatusPath))!, removed);
        DeleteIfEmpty(plan.Store.Home, removed);
        if (Directory.Exists(plan.Store.Home) && !kept.Any(k => k.StartsWith(plan.Store.Home, StringComparison.Ordinal)))
        {
            kept.Add($"{plan.Store.Home}: holds files that are not the relay's");
        }

        return new RelayUninstallResult
        {
            Path = plan.Store.Home,
            Service = configuration.Service,
            Stopped = stopped,
            SpoolPath = spool.Path,
            SpoolKept = !deleteSpool,
            Queued = spool.Queued,
            DeadLetters = spool.DeadLetters,
            DeliveryUnknown = spool.DeliveryUnknown + spool.Submitting,
            Undelivered = spool.Undelivered,
            SpoolWarning = deleteSpool ? null : SpoolWarning(plan, spool),
            Removed = removed,
            Kept = kept,
        };
    }

    private static string SpoolWarning(RelayUninstallPlan plan, RelaySpoolContents spool)
    {
        var defaultSpool = RelayConfiguration.CreateDefault(plan.Store.Home).SpoolPath;
        var sameSpool = string.Equals(plan.Store.Resolve(defaultSpool), spool.Path, StringComparison.Ordinal) ? string.Empty : $" -SpoolPath '{spool.Path}'";
        return $"The spool '{spool.Path}' was kept, with the relay's profile store: it holds {spool.Undelivered} message(s) devices were told were accepted ({spool.Describe()}). "
            + $"Install-SmtpOAuthRelay -Path '{plan.Store.Home}'{sameSpool}, then Start-SmtpOAuthRelay, sends the queued ones; dead letters and delivery-unknown messages have their reason and fix beside them. "
            + $"To delete them for good instead: Remove-Item -Recurse '{spool.Path}'.";
    }

    /// <summary>The relay's own files and folders, by name: never a whole folder that could hold someone else's files.</summary>
    private static IReadOnlyList<string> Removals(RelayConfigurationStore store, RelayConfiguration configuration)
    {
        var home = store.Home;
        var paths = new List<string>
        {
            Path.Combine(home, RelayConfigurationStore.LockFileName),
            Path.Combine(home, RelayProcess.PidFileName),
            store.Resolve(configuration.StatusPath),
        };
        if (Directory.Exists(home))
        {
            paths.AddRange(Directory.EnumerateFiles(home, RelayConfigurationStore.FileName + ".*.tmp"));
        }

        if (configuration.Tls.CertificateSource == RelayCertificateSource.Generated && configuration.Tls.CertificatePath is { Length: > 0 } certificate)
        {
            paths.Add(store.Resolve(certificate));
        }

        var logs = store.Resolve(configuration.LogPath);
        if (Directory.Exists(logs))
        {
            paths.AddRange(LogFilePatterns.SelectMany(pattern => Directory.EnumerateFiles(logs, pattern)).OrderBy(p => p, StringComparer.Ordinal));
        }

        // relay.json last: when a deletion fails, Uninstall-SmtpOAuthRelay still finds the relay and finishes the job.
        paths.Add(store.ConfigurationPath);
        return paths.Where(p => File.Exists(p) || Directory.Exists(p)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether <paramref name="path"/> lies strictly below <paramref name="folder"/>.</summary>
    private static bool IsInside(string path, string folder)
    {
        var parent = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var comparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return Path.GetFullPath(path).StartsWith(parent, comparison);
    }

    private void WaitUntilStopped(RelayUninstallPlan plan, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (RelayOverview.Read(plan.Store).State is RelayState.Starting or RelayState.Running or RelayState.Stopping)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow >= deadline)
            {
                throw new OAuthSmtpException(
                    ErrorIds.RelayStopFailed,
                    ErrorKind.OperationTimeout,
                    $"The relay did not stop within {Timeout.TotalSeconds:0} seconds; nothing was removed.",
                    "Stop it with Stop-SmtpOAuthRelay -Force (nothing acknowledged is lost), then run Uninstall-SmtpOAuthRelay again.",
                    plan.Store.Home);
            }

            Thread.Sleep(100);
        }
    }

    private static bool Delete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
                return true;
            }

            if (File.Exists(path))
            {
                File.Delete(path);
                return true;
            }

            return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayRemoveFailed,
                ErrorKind.WriteError,
                $"The relay is stopped and its service removed, but '{path}' cannot be deleted: {exception.Message}",
                "Run Uninstall-SmtpOAuthRelay again as an administrator (root for /etc/oauthsmtp-relay); what is left is removed then.",
                path,
                exception);
        }
    }

    private static void DeleteIfEmpty(string folder, List<string> removed)
    {
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Delete(folder);
            removed.Add(folder);
        }
    }
}
