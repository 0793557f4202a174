#!/usr/bin/env python3
"""Markdown tables of a `verydeep suite --full` run for docs/suite-fashion.md, read from its result files.

usage: suite-tables.py SUITE_OUT [OTHER_SUITE_OUT LABEL]
With a second run folder, each error table gets a column with that run's top-1 error (e.g. the same plan run
by an older commit). Errors in percent, as results.json holds them (fractions) times 100; the paper's numbers
come from golden-data's paper-table*.json, matched as the report matches them (S=37 ~ 256, 55 ~ 384, [37;73] ~
[256;512]).
"""
import json, os, sys

root = sys.argv[1]
other = sys.argv[2] if len(sys.argv) > 2 else None
label = sys.argv[3] if len(sys.argv) > 3 else 'other run'
here = os.path.dirname(os.path.abspath(__file__))
golden = os.path.join(here, '..', '..', 'golden-data', 'src', 'main', 'resources', 'dev', 'verydeep', 'golden')

def paper(table):
    d = json.load(open(os.path.join(golden, 'paper-table%s.json' % table)))
    return d['entries']

def pv(table, config, trainS, testQ, method, metric):
    for e in paper(table):
        if e['config'] == config and e['trainS'] == trainS and e['testQ'] == testQ and (e.get('method') or 'dense') == method \
                and e['metric'] == metric:
            return '%.1f' % e['value']
    return '–'

def head(folder, base=None):
    f = os.path.join(base or root, folder, 'results.json')
    if not os.path.exists(f):
        return None
    return json.load(open(f))['headline']

PS = {'37': '256', '55': '384', '[37;73]': '256-512'}

def row(folder, table, config, s, ps, pq, method='dense', extra=()):
    h = head(folder)
    cells = [config, s, h['test_scales'], h['method'], '%.2f' % (100 * h['top1_error']), '%.2f' % (100 * h['top5_error'])]
    if other:
        o = head(folder, other)
        cells.append('%.2f' % (100 * o['top1_error']) if o else '–')
    cells += [pv(table, config.split('+')[0] if '+' not in config else config, ps, pq, method, 'top1Error'),
              pv(table, config if '+' not in config else config, ps, pq, method, 'top5Error')]
    return '| ' + ' | '.join(cells) + ' |'

def header(first='config'):
    cols = [first, 'train S', 'test Q', 'method', 'top-1 err. %', 'top-5 err. %']
    if other:
        cols.append('top-1, ' + label)
    cols += ['paper top-1', 'paper top-5']
    return '| ' + ' | '.join(cols) + ' |\n|' + '---|' * len(cols)

print('### Table 3: one test scale (Q = S; jittered: Q = 55)\n')
print(header())
for net in ['A-37', 'A-LRN-37', 'B-37', 'C-37', 'C-55', 'C-jit', 'D-37', 'D-55', 'D-jit', 'E-37', 'E-55', 'E-jit']:
    c, s = net.rsplit('-', 1)
    S = '[37;73]' if s == 'jit' else s
    print(row('table3/' + net, 3, c, S, PS[S], '384' if s == 'jit' else PS[S]))
print('\n### Table 4: three test scales (fixed S: S-5, S, S+5; jittered: 37, 55, 73)\n')
print(header())
Q4 = {'37': '224,256,288', '55': '352,384,416', '[37;73]': '256,384,512'}
for net in ['B-37', 'C-37', 'C-55', 'C-jit', 'D-37', 'D-55', 'D-jit', 'E-37', 'E-55', 'E-jit']:
    c, s = net.rsplit('-', 1)
    S = '[37;73]' if s == 'jit' else s
    print(row('table4/' + net, 4, c, S, PS[S], Q4[S]))
print('\n### Table 5: dense vs multi-crop vs both (jittered nets, scales 37, 55, 73, flips; first 2,000 test images)\n')
print(header())
M = {'dense': 'dense', 'multicrop': 'multi-crop', 'both': 'dense+multi-crop'}
for net in ['D-jit', 'E-jit']:
    for m in ['dense', 'multicrop', 'both']:
        print(row('table5/%s-%s' % (net, m), 5, net[0], '[37;73]', '256-512', '256,384,512', M[m]))
print('\n### Table 6: fusion of jittered D and E (same images as Table 5)\n')
print(header('nets'))
for m in ['dense', 'both']:
    print(row('table6/D-E-' + m, 6, 'fusion:D+E', '[37;73]', '256-512', '256,384,512', M[m]))

print('\n### Table 11: transfer (source nets trained on classes 0-4; fashion-caltech = classes 5-9)\n')
cols = ['descriptor', 'fashion-caltech mean class recall % (3 splits, ± std)', 'fashion-voc mAP %']
if other:
    cols += ['recall, ' + label, 'mAP, ' + label]
cols += ['paper Caltech-101', 'paper VOC-2007']
print('| ' + ' | '.join(cols) + ' |\n|' + '---|' * len(cols))
P11 = {e['id']: e['value'] for e in paper(11)}
for n, pn in [('D', 'D'), ('E', 'E'), ('D+E', 'D&E')]:
    def t(base, kind):
        f = os.path.join(base, 'table11', '%s-%s.json' % (n, kind))
        return json.load(open(f)) if os.path.exists(f) else None
    c, v = t(root, 'caltech101'), t(root, 'voc2007')
    cells = [n, '%.1f ± %.1f' % (100 * c['meanClassRecall'], 100 * c['std']), '%.1f' % (100 * v['mAP'])]
    if other:
        oc, ov = t(other, 'caltech101'), t(other, 'voc2007')
        cells += ['%.1f' % (100 * oc['meanClassRecall']) if oc else '–', '%.1f' % (100 * ov['mAP']) if ov else '–']
    cells += ['%.1f' % P11.get(pn + '-Caltech101-recall', float('nan')), '%.1f' % P11.get(pn + '-VOC2007-mAP', float('nan'))]
    print('| ' + ' | '.join(cells) + ' |')
