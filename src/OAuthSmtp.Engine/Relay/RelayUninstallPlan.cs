using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Relay;

/// <summary>Everything Uninstall-SmtpOAuthRelay would do, read before any of it is done: -WhatIf shows <see cref="Description"/>.</summary>
public sealed class RelayUninstallPlan
{
    internal RelayUninstallPlan(RelayConfigurationStore store, RelayConfiguration configuration, RelayOverview overview, IReadOnlyList<ServiceStep> serviceSteps, RelaySpoolContents spool, IReadOnlyList<string> removals, bool removeSpool)
    {
        Store = store;
        Configuration = configuration;
        Overview = overview;
        ServiceSteps = serviceSteps;
        Spool = spool;
        Removals = removals;
        RemoveSpool = removeSpool;
    }

    public RelayConfigurationStore Store { get; }

    public RelayConfiguration Configuration { get; }

    /// <summary>The relay as it was when the plan was made (whether it runs).</summary>
    public RelayOverview Overview { get; }

    /// <summary>What removes the service registration; none when the relay runs without a service or the service is gone already.</summary>
    public IReadOnlyList<ServiceStep> ServiceSteps { get; }

    /// <summary>The spool as it was when the plan was made; the uninstaller counts again once the relay has stopped.</summary>
    public RelaySpoolContents Spool { get; }

    /// <summary>The relay's files to delete (configuration, status, logs, a generated certificate); the profile store goes with the spool.</summary>
    public IReadOnlyList<string> Removals { get; }

    /// <summary>Delete the spool even when it holds undelivered messages (each time confirmed on its own).</summary>
    public bool RemoveSpool { get; }

    public bool IsRunning => Overview.State is RelayState.Starting or RelayState.Running or RelayState.Stopping;

    /// <summary>Every step as it would run.</summary>
    public string Description
    {
        get
        {
            var lines = new List<string>();
            if (IsRunning)
            {
                lines.Add(Configuration.Service == RelayServiceKind.None
                    ? $"stop the relay process {Overview.ProcessId}"
                    : RelayServiceManager.StopCommand(Configuration.Service).ToString());
            }

            lines.AddRange(ServiceSteps.Select(s => s.ToString()));
            lines.AddRange(Removals.Select(path => $"delete {path}"));
            var profiles = Store.Resolve(Configuration.ProfileStorePath);
            lines.Add(Spool.Undelivered == 0
                ? $"delete the spool {Spool.Path} (no undelivered messages) and the relay's profile store {profiles} (if inside the relay home)"
                : RemoveSpool
                    ? $"delete the spool {Spool.Path} with its {Spool.Undelivered} undelivered message(s): {Spool.Describe()} (asked again before), and the relay's profile store {profiles} (if inside the relay home)"
                    : $"keep the spool {Spool.Path}: {Spool.Describe()}; keep the relay's profile store {profiles} that sends them; a relay installed again with this spool sends the queued ones");
            return string.Join(Environment.NewLine, lines);
        }
    }
}
