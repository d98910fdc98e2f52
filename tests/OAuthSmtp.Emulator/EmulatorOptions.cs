using System;
using System.Collections.Generic;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator;

public sealed class EmulatorOptions
{
    /// <summary>The tenant state at start.</summary>
    public Scenario Scenario { get; set; } = Scenario.Ready;

    /// <summary>Start the SMTP submission server (tests of the token service alone may skip it).</summary>
    public bool StartSmtpServer { get; set; } = true;

    /// <summary>
    /// Add the emulator CA to the CurrentUser Root store under the isolated test home
    /// (<see cref="TestEnvironment.UseIsolatedHome"/>, called here if the process has not yet).
    /// </summary>
    public bool TrustCertificateAuthority { get; set; } = true;

    /// <summary>
    /// Propagation delays applied at every Reset; null = <see cref="PropagationDefaults.Realistic"/>. Test fixtures set
    /// <see cref="PropagationDefaults.Quick"/> explicitly (None only where a test says why); a test about waiting sets its own.
    /// </summary>
    public IReadOnlyDictionary<ChangeKind, TimeSpan>? PropagationDelays { get; set; }
}
