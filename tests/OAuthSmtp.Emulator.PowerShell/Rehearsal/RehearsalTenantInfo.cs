using System;

namespace OAuthSmtp.Emulator.PowerShell.Rehearsal;

/// <summary>What Start-EmuTenant started (no secret: Get-EmuTenant has it) and the line that makes a matching profile.</summary>
public sealed record RehearsalTenantInfo(
    Scenario Scenario,
    string Domain,
    Guid TenantId,
    Guid? ClientId,
    string Mailbox,
    string SmtpServer,
    int SmtpPort,
    Uri AuthorityHost,
    Uri GraphEndpoint,
    bool CertificateAuthorityTrusted,
    string ProfileCommand);
