FROM opensuse/leap:15.5
RUN zypper --non-interactive in curl && zypper install -y git && zypper cc -a
