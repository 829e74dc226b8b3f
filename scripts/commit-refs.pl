#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# commit-refs.pl KNOWN PATCH: check the upstream commit references in a
# patch's commit message against KNOWN ("<sha> <subject>" lines). Each
# "Fixes: <sha> (...)" and "commit <sha> (...)" must name a known commit
# with 12 hex digits, and the quoted subject, when given, must match it
# (line wraps allowed). Prints one line per problem; exit 1 on any.
use strict;
use warnings;

my ($known_file, $patch) = @ARGV;
die "usage: commit-refs.pl KNOWN PATCH\n" unless defined $patch;
my %known;
open(my $k, '<', $known_file) or die "$known_file: $!\n";
while (<$k>) {
	next if /^\s*(#|$)/;
	chomp;
	my ($sha, $subj) = /^([0-9a-f]{12})\s+(.*)$/ or die "$known_file: bad line: $_\n";
	$known{$sha} = $subj;
}
close($k);

open(my $p, '<', $patch) or die "$patch: $!\n";
my $msg = '';
my $in_body = 0;
while (<$p>) {
	last if /^---\s*$/ && $in_body;
	$in_body = 1 if /^$/;
	next unless $in_body;
	$msg .= $_;
}
close($p);
(my $flat = $msg) =~ s/\s*\n\s*/ /g;

my $bad = 0;
while ($flat =~ /(?:^|\s)(Fixes:|commit)\s+([0-9a-f]{6,40})\b(\s*\("(.*?)"\))?/gi) {
	my ($kind, $sha, $subj) = ($1, $2, $4);
	if (length($sha) != 12) {
		print "$kind $sha: use 12 hex digits\n";
		$bad = 1;
		next;
	}
	if (!exists $known{$sha}) {
		print "$kind $sha: not in $known_file; add it only after checking it upstream\n";
		$bad = 1;
		next;
	}
	if (defined $subj && $subj ne $known{$sha}) {
		print "$kind $sha: subject \"$subj\" is not \"$known{$sha}\"\n";
		$bad = 1;
	}
	if (lc($kind) eq 'fixes:' && !defined $subj) {
		print "Fixes: $sha: needs (\"subject\")\n";
		$bad = 1;
	}
}
exit $bad;
