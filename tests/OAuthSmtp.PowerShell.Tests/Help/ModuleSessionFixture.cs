using System;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.PowerShell.Tests.Help;

/// <summary>One runspace with the laid-out module for a test class that only reads (help, views, metadata).</summary>
public sealed class ModuleSessionFixture : IDisposable
{
    public PowerShellSession Session { get; } = new(PowerShellSessionOptions.WithOAuthSmtp());

    public void Dispose() => Session.Dispose();
}
