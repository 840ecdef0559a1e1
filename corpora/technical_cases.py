"""Technical text for corpora/pii/technical.jsonl: code, stack traces, logs, configs, Dockerfiles,
manifests, changelogs, user-agent strings, numpy/pandas, CSS/HTML, git remotes, URLs and CSV/Markdown
exports, in several languages. Hand-written shapes, values drawn with a fixed seed.

What a reader calls personal data is labelled (addresses of machines in logs and configs, e-mail
addresses, phone numbers, routing numbers and SSNs in exports); everything that only looks like it is
not: four-part versions and build numbers, RFC sections, user-agent product versions, numpy slices,
image assets (banner@2x.jpg), SSH remotes (git@host:path), package specs, hashes.
"""

import pii_values as pv

IP = "IP_ADDRESS"
EMAIL = "EMAIL"
PHONE = "PHONE"
ROUTING = "US_BANK_ROUTING"
SSN = "SSN"


def version4(r):
    """A four-part version a reader takes for one: small major, small parts."""
    return "%d.%d.%d.%d" % (r.randrange(0, 10), r.randrange(0, 25), r.randrange(0, 20), r.randrange(0, 30))


def version_any(r):
    """Any four-part version, possibly not version-shaped: only its words say what it is."""
    if r.random() < 0.5:
        return version4(r)
    return "%d.%d.%d.%d" % (r.randrange(10, 130), r.randrange(0, 10), r.randrange(0, 300), r.randrange(0, 200))


def chrome(r):
    return "%d.0.%d.%d" % (r.randrange(100, 131), r.randrange(0, 6500), r.randrange(0, 200))


def ip4(r):
    return pv.ipv4(r)


def ip6(r):
    return pv.ipv6(r)


def name(r):
    f, l = pv.person(r)
    return f.title() + " " + l.title()


def email(r):
    return pv.email(r).lower()


def nanp(r):
    area = r.choice(pv.US_AREAS)
    exch, sub = pv.us_subscriber(r)
    return r.choice(["%s-%s-%s", "(%s) %s-%s", "%s.%s.%s"]) % (area, exch, sub)


def hexs(r, n):
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def ts(r):
    return "2025-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        r.randrange(1, 13), r.randrange(1, 29), r.randrange(24), r.randrange(60), r.randrange(60), r.randrange(1000))


def clf_date(r):
    return "%02d/%s/2025:%02d:%02d:%02d +0000" % (
        r.randrange(1, 29), r.choice(["Jan", "Feb", "Mar", "Apr", "May", "Jun"]), r.randrange(24), r.randrange(60),
        r.randrange(60))


def ua(r):
    return r.choice([
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s Safari/537.36" % chrome(r),
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s Safari/537.36 Edg/%s" % (chrome(r), chrome(r)),
        "okhttp/4.12.0",
        "curl/8.5.0",
        "MyApp/%s (iPhone; iOS 17.4.1; Scale/3.00)" % version4(r),
    ])


# Each family returns a list of pieces: strings and (type, value) tuples.

def f_assembly(r):
    v = version_any(r)
    return ['[assembly: AssemblyTitle("Billing.Core")]\n[assembly: AssemblyVersion("%s")]\n'
            '[assembly: AssemblyFileVersion("%s")]\n' % (v, v)]


def f_dockerfile(r):
    return ["FROM python:3.12-slim\nLABEL version=\"%s\"\nLABEL maintainer=\"" % version_any(r), (EMAIL, email(r)),
            "\"\nRUN pip install --no-cache-dir -r requirements.txt\nEXPOSE 8080\nCMD [\"gunicorn\", \"app:app\"]\n"]


def f_dockerfile_plain(r):
    return ["FROM node:20.11.1-alpine\nARG APP_VERSION=%s\nENV NODE_ENV=production\nCOPY --chown=node:node . /app\n"
            "HEALTHCHECK CMD wget -qO- http://localhost:3000/health || exit 1\n" % version_any(r)]


def f_changelog(r):
    a, b, c = version4(r), version4(r), version4(r)
    return ["## [%s] - 2025-03-14\n### Fixed\n- %s: fixes the login loop on Safari\n- %s: bumps lodash to 4.17.21\n"
            "* %s - retry uploads after a 502\n" % (a, b, c, version4(r))]


def f_changelog_de(r):
    return ["Änderungen:\n- Version %s auf %s aktualisiert\n- Abhängigkeiten erneuert (Build %s)\n" % (
        version_any(r), version_any(r), version_any(r))]


def f_release_ja(r):
    return ["リリースノート: バージョン %s をリリースしました。前のバージョン %s からの変更点は以下の通りです。\n" % (
        version4(r), version4(r))]


def f_release_es(r):
    return ["Notas de la versión %s: corregimos el error de sesión. Actualice desde la versión %s.\n" % (
        version4(r), version4(r))]


def f_release_fr(r):
    return ["La version %s corrige la fuite mémoire signalée dans la version %s (build %s).\n" % (
        version4(r), version4(r), version_any(r))]


def f_rfc(r):
    return ["Per RFC 9110 section %s, a 304 response must not contain a body; see also §%s of RFC 9111.\n" % (
        version4(r), version4(r))]


def f_access_log(r):
    return [(IP, ip4(r)), ' - - [%s] "GET /api/v1/orders?page=2 HTTP/1.1" 200 5123 "-" "%s"\n' % (clf_date(r), ua(r))]


def f_access_log_two(r):
    return [(IP, ip4(r)), ' - - [%s] "POST /login HTTP/1.1" 302 0 "-" "%s"\n' % (clf_date(r), ua(r)),
            (IP, ip4(r)), ' - - [%s] "GET /static/app.js HTTP/2.0" 304 0 "-" "%s"\n' % (clf_date(r), ua(r))]


def f_kv_log(r):
    return ["%s INFO http request method=GET path=/v2/items client=" % ts(r), (IP, ip4(r)),
            " agent=%s status=200 latency_ms=%d\n" % (version4(r), r.randrange(1, 900))]


def f_json_log(r):
    return ['{"ts":"%s","level":"warn","msg":"rate limited","remote_addr":"' % ts(r), (IP, ip4(r)),
            '","user_agent":"%s","app_version":"%s"}\n' % (ua(r), version4(r))]


def f_sshd(r):
    return ["%s sshd[%d]: Failed password for invalid user admin from " % ("Mar %2d 04:12:%02d" % (r.randrange(1, 29), r.randrange(60)), r.randrange(1000, 40000)),
            (IP, ip4(r)), " port %d ssh2\n" % r.randrange(1024, 65535)]


def f_sshd_versionlike(r):
    # A real address that happens to look like a version: the words around it say what it is.
    a = "%d.%d.%d.%d" % (r.randrange(1, 10), r.randrange(0, 25), r.randrange(0, 25), r.randrange(1, 25))
    return ["Accepted publickey for deploy from ", (IP, a), " port %d ssh2: ED25519 SHA256:%s\n" % (
        r.randrange(1024, 65535), hexs(r, 20))]


def f_ssh_cmd(r):
    return ["$ ssh -i ~/.ssh/id_ed25519 ubuntu@", (IP, ip4(r)), "\n$ ping -c 3 ", (IP, ip4(r)), "\n"]


def f_ping_out(r):
    a = ip4(r)
    return ["PING ", (IP, a), " (", (IP, a), ") 56(84) bytes of data.\n64 bytes from ", (IP, a),
            ": icmp_seq=1 ttl=57 time=%.1f ms\n" % (r.random() * 40)]


def f_curl(r):
    return ["curl -sS http://", (IP, ip4(r)), ":%d/healthz -H 'User-Agent: %s'\n" % (r.randrange(1024, 9999), ua(r))]


def f_conn_refused(r):
    return ["Traceback (most recent call last):\n  File \"/usr/lib/python3.11/site-packages/psycopg2/__init__.py\", line 122, in connect\n"
            "psycopg2.OperationalError: connection to server at \"", (IP, ip4(r)),
            "\", port 5432 failed: Connection refused\n"]


def f_java_trace(r):
    return ["java.net.ConnectException: Connection refused: /", (IP, ip4(r)), ":%d\n\tat sun.nio.ch.Net.pollConnect(Native Method)\n"
            "\tat io.netty.channel.socket.nio.NioSocketChannel.doFinishConnect(NioSocketChannel.java:337)\n"
            "\tat com.example.billing.Client.call(Client.java:%d)\n" % (r.randrange(1024, 9999), r.randrange(10, 400))]


def f_java_trace_clean(r):
    return ["Exception in thread \"main\" java.lang.NullPointerException: Cannot invoke \"String.length()\"\n"
            "\tat com.example.App.run(App.java:%d)\n\tat com.example.App.main(App.java:%d)\n"
            "Caused by: org.postgresql.util.PSQLException (driver %s)\n" % (r.randrange(10, 300), r.randrange(10, 300), version4(r))]


def f_nginx_conf(r):
    return ["upstream backend {\n    server ", (IP, ip4(r)), ":8080 weight=3;\n    server ", (IP, ip4(r)),
            ":8080;\n}\nserver {\n    listen 443 ssl;\n    listen [", (IP, ip6(r)),
            "]:443 ssl;\n    server_name shop.example.com;\n}\n"]


def f_ip_config(r):
    return ["[mysqld]\nbind-address = ", (IP, ip4(r)), "\nport = 3306\n# innodb version %s\n" % version4(r)]


def f_k8s(r):
    return ["apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  labels:\n    app.kubernetes.io/version: \"%s\"\n"
            "spec:\n  clusterIP: " % version4(r), (IP, ip4(r)), "\n  ports:\n    - port: 80\n      targetPort: 8080\n"]


def f_env(r):
    return ["DATABASE_HOST=", (IP, ip4(r)), "\nDATABASE_PORT=5432\nAPP_BUILD=%s\nADMIN_EMAIL=" % version_any(r),
            (EMAIL, email(r)), "\n"]


def f_ifconfig(r):
    return ["eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n        inet ", (IP, ip4(r)),
            "  netmask 255.255.255.0\n        inet6 ", (IP, ip6(r)), "  prefixlen 64  scopeid 0x20<link>\n"]


def f_ip6_log(r):
    return ["%s WARN blocked request from " % ts(r), (IP, ip6(r)), " (too many attempts)\n"]


def f_numpy(r):
    return ["import numpy as np\nx = np.arange(%d)\nevens = x[::2]\nthirds = x[::%d]\nm = x.reshape(%d, -1)\n"
            "sub = m[%d::%d]\nrev = x[::-1]\nprint(x[1::3], sub.shape)\n" % (
                r.randrange(20, 100), r.randrange(3, 9), r.randrange(2, 5), r.randrange(1, 9), r.randrange(2, 9))]


def f_pandas(r):
    return ["df = pd.read_csv('orders.csv')\nsample = df.iloc[::%d]\ncols = df.columns[::2]\n"
            "df['ratio'] = df.a / df.b  # 16:9 screens\nprint(df.loc[::%d, ['id', 'total']])\n" % (
                r.randrange(2, 20), r.randrange(2, 9))]


def f_slice_prose(r):
    return ["In Python, s[::%d] takes every %d-th character and a[%d::%d] starts at index %d; a bare ::%d is a syntax error.\n" % (
        r.randrange(2, 9), r.randrange(2, 9), r.randrange(1, 9), r.randrange(2, 9), r.randrange(1, 9), r.randrange(2, 9))]


def f_cpp(r):
    return ["#include <vector>\nnamespace app::detail {\nstd::vector<int> v{1, 2, 3};\nauto it = std::find(v.begin(), v.end(), 2);\n"
            "}  // namespace app::detail\n"]


def f_haskell(r):
    return ["module Main where\nsquare :: Int -> Int\nsquare x = x * x\nmain :: IO ()\nmain = print (square %d)\n" % r.randrange(2, 99)]


def f_html_img(r):
    n = r.choice(["banner", "logo", "hero", "icon", "avatar"])
    return ['<picture>\n  <img src="/img/%s.png" srcset="/img/%s@2x.png 2x, /img/%s@3x.png 3x" alt="">\n</picture>\n'
            '<a href="mailto:' % (n, n, n), (EMAIL, email(r)), '">Contact us</a>\n']


def f_css(r):
    n = r.choice(["banner", "hero", "bg", "sprite"])
    return [".hero {\n  background-image: url(\"%s@2x.jpg\");\n  color: #%s;\n  margin: 0 0 %dpx;\n}\n"
            "@media (min-resolution: 2dppx) { .logo { background: url(logo@2x.webp); } }\n" % (n, hexs(r, 6), r.randrange(4, 40))]


def f_ios_assets(r):
    return ["Assets.xcassets/AppIcon.appiconset: Icon-60@2x.png Icon-60@3x.png Icon-76@2x.png\n"
            "Copy banner@2x.jpg and splash@3x.png into Resources/ for build %s.\n" % version4(r)]


def f_git_remote(r):
    host = r.choice(["github.com", "gitlab.com", "bitbucket.org", "git.example.com"])
    return ["$ git remote -v\norigin\tgit@%s:team/app.git (fetch)\norigin\tgit@%s:team/app.git (push)\n"
            "$ git clone git@%s:infra/terraform-modules.git\n" % (host, host, host)]


def f_git_config(r):
    return ["[user]\n\tname = %s\n\temail = " % name(r), (EMAIL, email(r)),
            "\n[remote \"origin\"]\n\turl = git@github.com:acme/billing.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"]


def f_git_log(r):
    return ["commit %s\nAuthor: %s <" % (hexs(r, 40), name(r)), (EMAIL, email(r)),
            ">\nDate:   Mon Mar 3 10:12:00 2025 +0100\n\n    Bump version to %s\n\n    Signed-off-by: %s <" % (version4(r), name(r)),
            (EMAIL, email(r)), ">\n"]


def f_package_json(r):
    return ['{\n  "name": "@acme/widgets",\n  "version": "%s",\n  "author": "%s <' % (version4(r), name(r)),
            (EMAIL, email(r)), '>",\n  "dependencies": {\n    "react": "^18.2.0",\n    "lodash": "4.17.21"\n  }\n}\n']


def f_npm_install(r):
    return ["npm install react@18.2.0 @types/node@20.11.30 typescript@5.4.3\nyarn add left-pad@1.3.0\n"
            "pnpm add @scope/pkg@%s\n" % version4(r)]


def f_csproj(r):
    return ['<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <Version>%s</Version>\n    <FileVersion>%s</FileVersion>\n'
            '  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include="Serilog" Version="%s" />\n  </ItemGroup>\n</Project>\n' % (
                version_any(r), version_any(r), version4(r))]


def f_pom(r):
    return ["<dependency>\n  <groupId>org.example</groupId>\n  <artifactId>core</artifactId>\n  <version>%s</version>\n</dependency>\n"
            "<developers><developer><email>" % version4(r), (EMAIL, email(r)), "</email></developer></developers>\n"]


def f_debian_control(r):
    return ["Package: sluice-agent\nVersion: %s\nArchitecture: amd64\nMaintainer: %s <" % (version4(r), name(r)),
            (EMAIL, email(r)), ">\nDepends: libc6 (>= 2.36)\n"]


def f_requirements(r):
    return ["requests==2.31.0\nurllib3==2.2.1\nnumpy==1.26.4\nmy-internal-lib==%s\n" % version4(r)]


def f_python_settings(r):
    return ["ADMINS = [(\"Ops\", \"", (EMAIL, email(r)), "\")]\nALLOWED_HOSTS = [\"api.example.com\", \"", (IP, ip4(r)),
            "\"]\nVERSION = \"%s\"\n" % version4(r)]


def f_spring(r):
    return ["spring.mail.host=smtp.example.com\nspring.mail.username=", (EMAIL, email(r)),
            "\nspring.datasource.url=jdbc:postgresql://", (IP, ip4(r)), ":5432/app\ninfo.app.version=%s\n" % version_any(r)]


def f_ua_only(r):
    return ["User-Agent: %s\nAccept: application/json\n" % ua(r)]


def f_windows(r):
    return ["OS Name: Microsoft Windows 11 Pro\nOS Version: 10.0.%d N/A Build %d\nBIOS Version: %s\nDriver version %s installed.\n" % (
        r.randrange(19000, 26000), r.randrange(19000, 26000), version4(r), version_any(r))]


def f_firmware(r):
    return ["Router status: firmware %s, uptime 12d. WAN IP ", (IP, ip4(r)), ", gateway ", (IP, ip4(r)), ".\n"]


def f_firewall(r):
    return ["iptables -A INPUT -s ", (IP, ip4(r)), " -j DROP\nufw allow from ", (IP, ip4(r)), " to any port 22\n"]


def f_hosts(r):
    return [(IP, ip4(r)), "\tdb.internal\n", (IP, ip4(r)), "\tcache.internal\n"]


def f_oid(r):
    return ["snmpget -v2c -c public switch01 1.3.6.1.2.1.1.3.0\nOID 1.3.6.1.4.1.%d.1 answered\n" % r.randrange(100, 50000)]


def f_uuid_hash(r):
    return ["request_id=%s-%s-4%s-a%s-%s sha256=%s build=%s\n" % (
        hexs(r, 8), hexs(r, 4), hexs(r, 3), hexs(r, 3), hexs(r, 12), hexs(r, 64), version4(r))]


def f_mac(r):
    mac = ":".join(hexs(r, 2) for _ in range(6))
    return ["link/ether %s brd ff:ff:ff:ff:ff:ff\nat 12:34:56 the link came up\n" % mac]


def f_comment_de(r):
    return ["# TODO: Nach dem Update auf Version %s den Server " % version4(r), (IP, ip4(r)),
            " neu starten. Ansprechpartner: ", (EMAIL, email(r)), "\n"]


def f_comment_ja(r):
    return ["// サーバー ", (IP, ip4(r)), " に接続できません。バージョン %s で修正予定。\n" % version4(r)]


def f_comment_es(r):
    return ["# El servidor ", (IP, ip4(r)), " no responde desde la versión %s; avisar a " % version4(r), (EMAIL, email(r)), "\n"]


def f_comment_fr(r):
    return ["/* Le client ", (IP, ip4(r)), " utilise encore la version %s du SDK. */\n" % version4(r)]


def f_url(r):
    return ["See https://docs.example.com/v2/guide#section-%s and https://cdn.example.com/assets/banner@2x.png?v=%s\n" % (
        version4(r), version4(r))]


def f_support_phone(r):
    return ["SUPPORT = {\n    \"email\": \"", (EMAIL, email(r)), "\",\n    \"phone\": \"", (PHONE, nanp(r)), "\",\n    \"version\": \"%s\",\n}\n" % version4(r)]


def f_csv_routing(r):
    rows = []
    for _ in range(r.randrange(3, 6)):
        rows += [name(r) + ",", (ROUTING, pv.routing_number(r)), ",%s,%s\n" % (pv.digits(r, 10), r.choice(["checking", "savings"]))]
    return ["name,routing_number,account_number,type\n"] + rows


def f_csv_phone_de(r):
    rows = []
    for _ in range(r.randrange(2, 5)):
        num = r.choice(["0611 %d %d" % (r.randrange(20, 99), r.randrange(1000, 9999)),
                        "0151 %s" % pv.digits(r, 8),
                        "030 %s" % pv.digits(r, 7)])
        rows += ["%s;" % name(r), (PHONE, num), ";Wiesbaden\n"]
    return ["Name;Telefon;Ort\n"] + rows


def f_csv_phone_ja(r):
    rows = []
    for _ in range(r.randrange(2, 5)):
        rows += ["%s," % r.choice(["山田太郎", "佐藤花子", "鈴木一郎", "田中美咲"]),
                 (PHONE, "03-%d-%d" % (r.randrange(3000, 6999), r.randrange(1000, 9999))), ",東京都\n"]
    return ["氏名,電話,住所\n"] + rows


def f_md_table(r):
    rows = []
    for _ in range(r.randrange(2, 4)):
        rows += ["| %s | " % name(r), (PHONE, nanp(r)), " | ", (EMAIL, email(r)), " |\n"]
    return ["| Name | Phone | E-mail |\n|---|---|---|\n"] + rows


def f_tsv_ssn(r):
    rows = []
    for _ in range(r.randrange(2, 4)):
        ssn = "".join(c for c in pv.ssn(r) if c.isdigit())
        rows += ["%s\t" % name(r), (SSN, ssn), "\t%s\n" % r.choice(["active", "closed"])]
    return ["employee\tssn\tstatus\n"] + rows


def f_ja_phone_label(r):
    return ["お問い合わせ 電話：", (PHONE, "03-%d-%d" % (r.randrange(3000, 6999), r.randrange(1000, 9999))),
            "（平日 9:00〜18:00）バージョン %s\n" % version4(r)]


def f_de_phone_label(r):
    return ["Bei Fragen: Telefon ", (PHONE, "0611 %d %d" % (r.randrange(20, 99), r.randrange(1000, 9999))),
            " oder Handy ", (PHONE, "0151 %s" % pv.digits(r, 8)), ".\n"]


def f_es_phone_label(r):
    return ["Soporte técnico: teléfono ", (PHONE, "91%d %d %d %d" % (r.randrange(1, 8), r.randrange(10, 99), r.randrange(10, 99), r.randrange(10, 99))),
            " (versión %s)\n" % version4(r)]


def f_mixed_words(r):
    # Address words and version words in one line: the nearer word decides.
    return ["server version %s running on host " % version4(r), (IP, ip4(r)), ", client_version=%s from " % version4(r),
            (IP, ip4(r)), "\n"]


def f_upgrade_log(r):
    return ["%s INFO upgraded node-agent from %s to %s on " % (ts(r), version4(r), version4(r)), (IP, ip4(r)), "\n"]


def f_docker_ps(r):
    return ["CONTAINER ID   IMAGE                 PORTS\n%s   nginx:1.25.4-alpine   " % hexs(r, 12), (IP, ip4(r)),
            ":8080->80/tcp\n%s   redis:7.2.4           6379/tcp\n" % hexs(r, 12)]


def f_terraform(r):
    return ['resource "aws_instance" "web" {\n  ami           = "ami-%s"\n  private_ip    = "' % hexs(r, 17), (IP, ip4(r)),
            '"\n  tags = { Version = "%s" }\n}\n' % version4(r)]


def f_netmask(r):
    return ["iface eth0 inet static\n    address ", (IP, ip4(r)), "\n    netmask 255.255.255.0\n    gateway ", (IP, ip4(r)),
            "\n    dns-nameservers ", (IP, "8.8.8.8"), " ", (IP, "1.1.1.1"), "\n"]


FAMILIES = [
    f_assembly, f_dockerfile, f_dockerfile_plain, f_changelog, f_changelog_de, f_release_ja, f_release_es,
    f_release_fr, f_rfc, f_access_log, f_access_log_two, f_kv_log, f_json_log, f_sshd, f_sshd_versionlike,
    f_ssh_cmd, f_ping_out, f_curl, f_conn_refused, f_java_trace, f_java_trace_clean, f_nginx_conf, f_ip_config,
    f_k8s, f_env, f_ifconfig, f_ip6_log, f_numpy, f_pandas, f_slice_prose, f_cpp, f_haskell, f_html_img, f_css,
    f_ios_assets, f_git_remote, f_git_config, f_git_log, f_package_json, f_npm_install, f_csproj, f_pom,
    f_debian_control, f_requirements, f_python_settings, f_spring, f_ua_only, f_windows, f_firmware,
    f_firewall, f_hosts, f_oid, f_uuid_hash, f_mac, f_comment_de, f_comment_ja, f_comment_es, f_comment_fr,
    f_url, f_support_phone, f_csv_routing, f_csv_phone_de, f_csv_phone_ja, f_md_table, f_tsv_ssn,
    f_ja_phone_label, f_de_phone_label, f_es_phone_label, f_mixed_words, f_upgrade_log, f_docker_ps,
    f_terraform, f_netmask,
]

TEXTS = 511  # seven of each family


def build(rng, render):
    records = []
    for i in range(TEXTS):
        family = FAMILIES[i % len(FAMILIES)]
        text, entities = render(family(rng))
        records.append({"id": "technical-%04d" % i, "text": text, "entities": entities,
                        "shape": family.__name__[2:]})
    return {"pii/technical.jsonl": records}
