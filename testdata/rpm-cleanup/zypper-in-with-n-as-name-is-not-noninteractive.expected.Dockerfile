FROM opensuse/leap:15.5
RUN zypper -n in -n curl && zypper clean -a
