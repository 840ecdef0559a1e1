// The default catalog reads numbers and addresses the way a reader would (issue 14): text in, the
// redaction a user sees out. Versions, slices, image assets and SSH remotes stay as they are; real
// addresses in logs, national phone numbers the text places in a country, table columns headed by a
// label and labelled placeholder SSNs are redacted.
#include <gtest/gtest.h>

#include <string>

#include "block_redaction.h"
#include "test_rules.h"

namespace sluice::engine {
namespace {

std::string redacted(std::string_view text) { return testing::block_redaction(testing::default_rules(), text); }

void expect_unchanged(std::string_view text) { EXPECT_EQ(redacted(text), text); }

TEST(ReadingContext, FourPartVersionsAreNotAddresses) {
  expect_unchanged("we upgraded to 3.2.0.7 last week");
  expect_unchanged("[assembly: AssemblyVersion(\"5.0.2.1\")]");
  expect_unchanged("see RFC 9110 section 7.2.1.4 for details");
  expect_unchanged("- 6.3.1.2: fixes the login loop");
  expect_unchanged("GET /health agent=9.1.0.4 status=200");
  expect_unchanged("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0.0.0 Safari/537.36");
  expect_unchanged("LABEL version=\"1.8.0.2\"");
  expect_unchanged("Version 5.2.1.4 auf 5.3.0.0 aktualisiert");
  expect_unchanged("バージョン 2.0.1.3 をリリースしました");
  expect_unchanged("<PackageReference Include=\"Serilog\" Version=\"12.0.300.1\" />");
  expect_unchanged("netmask 255.255.255.0");
  expect_unchanged("chore: bumped from 3.2.0.7 to 3.2.1.0");
}

TEST(ReadingContext, AddressesInLogsAndCommandsAreStillFound) {
  EXPECT_EQ(redacted("ssh admin@3.2.0.7"), "ssh admin@[REDACTED:IP_ADDRESS]");
  EXPECT_EQ(redacted("client=10.2.3.4 agent=9.1.0.4"), "client=[REDACTED:IP_ADDRESS] agent=9.1.0.4");
  EXPECT_EQ(redacted("Accepted publickey for deploy from 3.12.0.7 port 22"),
            "Accepted publickey for deploy from [REDACTED:IP_ADDRESS] port 22");
  EXPECT_EQ(redacted("203.0.113.9 - - [12/Mar/2025:10:00:01 +0000] \"GET / HTTP/1.1\" 200"),
            "[REDACTED:IP_ADDRESS] - - [12/Mar/2025:10:00:01 +0000] \"GET / HTTP/1.1\" 200");
  EXPECT_EQ(redacted("upgraded node-agent from 5.8.12.29 to 6.5.4.27 on 10.223.111.247"),
            "upgraded node-agent from 5.8.12.29 to 6.5.4.27 on [REDACTED:IP_ADDRESS]");
  EXPECT_EQ(redacted("ping 8.8.4.4"), "ping [REDACTED:IP_ADDRESS]");
}

TEST(ReadingContext, SlicesAreNotIpv6Addresses) {
  expect_unchanged("evens = x[::2]; thirds = x[::3]");
  expect_unchanged("sub = m[2::4]");
  expect_unchanged("a bare ::5 is a syntax error");
  expect_unchanged("b[:, ::2] and df.iloc[::5]");
  EXPECT_EQ(redacted("listen [::1]:8080"), "listen [[REDACTED:IP_ADDRESS]]:8080");
  EXPECT_EQ(redacted("gateway fe80::1 is down"), "gateway [REDACTED:IP_ADDRESS] is down");
  EXPECT_EQ(redacted("peer 2001:db8::1 connected"), "peer [REDACTED:IP_ADDRESS] connected");
}

TEST(ReadingContext, ImageAssetsAndSshRemotesAreNotEmail) {
  expect_unchanged("<img src=\"banner@2x.jpg\" srcset=\"banner@3x.png 3x\">");
  expect_unchanged("background: url(hero@2x.webp)");
  expect_unchanged("git clone git@gitlab.com:team/app.git");
  expect_unchanged("url = git@github.com:acme/billing.git");
  EXPECT_EQ(redacted("Kontakt: hans.mueller@beispiel.de"), "Kontakt: [REDACTED:EMAIL]");
  EXPECT_EQ(redacted("Author: Jane <jane@example.com>"), "Author: Jane <[REDACTED:EMAIL]>");
}

TEST(ReadingContext, NationalPhoneNumbersAfterALabelInTheirLanguage) {
  EXPECT_EQ(redacted("Telefon: 0611 98 4420"), "Telefon: [REDACTED:PHONE]");
  EXPECT_EQ(redacted("Handy 0151 23456789"), "Handy [REDACTED:PHONE]");
  EXPECT_EQ(redacted("Teléfono: 913 45 67 89"), "Teléfono: [REDACTED:PHONE]");
  EXPECT_EQ(redacted("電話：03-6812-3344"), "電話：[REDACTED:PHONE]");
}

TEST(ReadingContext, NationalPhoneNumbersWhereTheTextGivesTheCountryAway) {
  EXPECT_EQ(redacted("Zentrale +49 611 98 440, Durchwahl 0611 98 4420"), "Zentrale [REDACTED:PHONE], Durchwahl [REDACTED:PHONE]");
  EXPECT_EQ(redacted("IBAN ES91 2100 0418 4502 0005 1332, contacto 913 45 67 89"),
            "IBAN [REDACTED:IBAN], contacto [REDACTED:PHONE]");
  EXPECT_EQ(redacted("www.example.co.jp に連絡 03-6812-3344"), "www.example.co.jp に連絡 [REDACTED:PHONE]");
  expect_unchanged("order 0611 98 4420 shipped");
}

TEST(ReadingContext, TableColumnsGiveTheirHeaderToEveryCell) {
  EXPECT_EQ(redacted("name,routing_number,account\nAnn Lee,021000021,12345678\nBo Chan,011000015,87654321\n"),
            "name,routing_number,account\nAnn Lee,[REDACTED:US_BANK_ROUTING],12345678\nBo Chan,[REDACTED:US_BANK_ROUTING],87654321\n");
  EXPECT_EQ(redacted("氏名,電話,住所\n山田太郎,03-6812-3344,東京都\n"), "氏名,電話,住所\n山田太郎,[REDACTED:PHONE],東京都\n");
  EXPECT_EQ(redacted("Name;Telefon;Ort\nHans;0611 98 4420;Wiesbaden\n"), "Name;Telefon;Ort\nHans;[REDACTED:PHONE];Wiesbaden\n");
  EXPECT_EQ(redacted("| Name | SSN |\n|---|---|\n| Ann | 078051120 |\n"), "| Name | SSN |\n|---|---|\n| Ann | [REDACTED:SSN] |\n");
  EXPECT_EQ(redacted("employee\tssn\tstatus\nAnn\t536224870\tactive\n"), "employee\tssn\tstatus\nAnn\t[REDACTED:SSN]\tactive\n");
  // The same digits in a column headed otherwise, or outside a table, stay.
  expect_unchanged("name,order,account\nAnn Lee,021000021,12345678\n");
  expect_unchanged("order 021000021 shipped\n");
}

TEST(ReadingContext, LabelledPlaceholderSsnsAreRedacted) {
  EXPECT_EQ(redacted("Her SSN is 078-05-1120."), "Her SSN is [REDACTED:SSN].");
  EXPECT_EQ(redacted("SSN: 123-45-6789"), "SSN: [REDACTED:SSN]");
  EXPECT_EQ(redacted("Please enter your SSN (no dashes): 078051120"), "Please enter your SSN (no dashes): [REDACTED:SSN]");
  // Unlabelled, the famous placeholders are still nobody's number; labelled, impossible ones stay too.
  expect_unchanged("the wallet ad printed 078-05-1120 on every card");
  expect_unchanged("SSN 000-12-3456 is never issued");
}

}  // namespace
}  // namespace sluice::engine
