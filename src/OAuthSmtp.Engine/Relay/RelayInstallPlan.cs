using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Relay;

/// <summary>Everything Install-SmtpOAuthRelay would do, checked, before any of it is done: -WhatIf shows <see cref="Description"/>.</summary>
public sealed class RelayInstallPlan
{
    internal RelayInstallPlan(RelayConfigurationStore store, RelayConfiguration configuration, IReadOnlyList<ServiceStep> serviceSteps, bool overwrite)
    {
        Store = store;
        Configuration = configuration;
        ServiceSteps = serviceSteps;
        Overwrite = overwrite;
    }

    public RelayConfigurationStore Store { get; }

    public RelayConfiguration Configuration { get; }

    public IReadOnlyList<ServiceStep> ServiceSteps { get; }

    public bool Overwrite { get; }

    /// <summary>The configuration file with its content, then every service step as it would run.</summary>
    public string Description
    {
        get
        {
            var lines = new List<string>
            {
                $"write {Store.ConfigurationPath} (mode 0600; devices kept: {(Overwrite ? "yes" : "none yet")}):",
                JsonSerializer.Serialize(Configuration, StoredFileJson.Options),
            };
            lines.AddRange(ServiceSteps.Select(s => s.ToString()));
            if (Configuration.Service == RelayServiceKind.None)
            {
                lines.Add("no service: Start-SmtpOAuthRelay runs the relay as a background process");
            }

            return string.Join(Environment.NewLine, lines);
        }
    }
}
