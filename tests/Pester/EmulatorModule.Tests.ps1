#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# "Rehearse in your own shell": the OAuthSmtp.Emulator module that the build lays out in out/OAuthSmtp.Emulator, in a
# real pwsh. Start-EmuTenant trusts its CA for the current user (here the test run's own HOME) only until Stop-EmuTenant.

BeforeDiscovery {
    # The emulator runs on PowerShell 7 only; on Windows, trusting its CA would open the system's confirmation dialog,
    # so there it is left to a person's own shell.
    $script:CanRehearse = $PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows
}

BeforeAll {
    if (-not ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows)) { return }
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp.Emulator/OAuthSmtp.Emulator.psd1') -Force
    $script:RootStore = Join-Path $HOME '.dotnet/corefx/cryptography/x509stores/root'
    function Get-EmulatorRoot {
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('Root', 'CurrentUser')
        $store.Open('ReadOnly')
        try { @($store.Certificates | Where-Object Subject -like 'CN=OAuthSmtp Emulator Test Root CA*') } finally { $store.Close() }
    }
}

AfterAll {
    if (-not (Get-Command Stop-EmuTenant -ErrorAction SilentlyContinue)) { return }
    Stop-EmuTenant -WarningAction SilentlyContinue
}

Describe 'Start-EmuTenant and Stop-EmuTenant' -Tag 'CI' -Skip:(-not $CanRehearse) {
    It 'starts a tenant, connects the emulated Exchange session and trusts the CA until it stops, without touching HOME' {
        $homeBefore = $env:HOME
        $rootsBefore = @(Get-EmulatorRoot).Count

        $tenant = Start-EmuTenant -Scenario Fresh

        $env:HOME | Should -Be $homeBefore
        $tenant.Scenario | Should -Be 'Fresh'
        $tenant.CertificateAuthorityTrusted | Should -BeTrue
        @(Get-EmulatorRoot).Count | Should -Be ($rootsBefore + 1)
        (Get-ConnectionInformation).State | Should -Contain 'Connected'
        (Get-EmuTenant).Domain | Should -Be $tenant.Domain
        # Default certificate validation accepts the emulator: the CA is trusted, nothing is switched off.
        (Invoke-RestMethod -Uri ([uri]::new($tenant.AuthorityHost, "$($tenant.TenantId)/v2.0/.well-known/openid-configuration"))).token_endpoint |
            Should -BeLike "https://localhost:*/$($tenant.TenantId)/oauth2/v2.0/token"

        Stop-EmuTenant

        @(Get-EmulatorRoot).Count | Should -Be $rootsBefore
        $env:HOME | Should -Be $homeBefore
        { Get-EmuTenant -ErrorAction Stop } | Should -Throw -ErrorId 'EmulatorNotAttached*'
    }

    It 'returns the one line that creates a matching profile, without the secret' {
        $tenant = Start-EmuTenant -Scenario Ready -ProfileName Rehearsal
        try {
            $tenant.ProfileCommand | Should -BeLike "New-SmtpOAuthProfile -Name Rehearsal -TenantId $($tenant.TenantId) *"
            $tenant.ProfileCommand | Should -BeLike "*-SmtpServer localhost -Port $($tenant.SmtpPort)*"
            $tenant.ProfileCommand | Should -Not -Match ([regex]::Escape((Get-EmuTenant).ClientSecret))
        }
        finally {
            Stop-EmuTenant
        }
    }

    It 'starts Empty with the administrator signed in to Exchange and Graph (-ConnectGraph)' {
        $tenant = Start-EmuTenant -Scenario Empty -ConnectGraph
        try {
            $tenant.ClientId | Should -BeNullOrEmpty
            (Get-MgContext).Account | Should -Be 'admin@contoso.com'
            (Get-MgContext).Scopes | Should -Contain 'Application.ReadWrite.All'
            (Get-ConnectionInformation).State | Should -Contain 'Connected'
            $app = Invoke-MgGraphRequest -Method POST -Uri 'v1.0/applications' -Body @{ displayName = 'Rehearsal' }
            (Invoke-MgGraphRequest -Uri "https://graph.microsoft.com/v1.0/applications?`$filter=appId eq '$($app.appId)'").value[0].displayName |
                Should -Be 'Rehearsal'
            (Get-EmuStatistics).GraphWrites | Should -Be 1
            Set-EmuAdmin -Roles @() -UsersCanRegisterApplications $false
            { Invoke-MgGraphRequest -Method POST -Uri 'v1.0/applications' -Body @{ displayName = 'Refused' } -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvokeGraphHttpResponseException*'
        }
        finally {
            Stop-EmuTenant
        }
    }

    It 'refuses a second tenant while one runs' {
        $null = Start-EmuTenant
        try {
            { Start-EmuTenant -ErrorAction Stop } | Should -Throw -ErrorId 'EmuTenantAlreadyRunning*'
        }
        finally {
            Stop-EmuTenant
        }
    }
}
