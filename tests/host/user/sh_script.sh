echo one two | cat
echo "to file" > /tmp/out.txt
echo appended >> /tmp/out.txt
cat < /tmp/out.txt | cat | cat
ls /etc | cat > /tmp/ls.txt
cat /tmp/ls.txt
cd /etc
ls
cd /nonexistent
nosuchcmd
echo 'quoted | not a pipe' "and > not a redirect"
kill -l | cat > /tmp/sigs
cat < /tmp/sigs | cat | cat > /tmp/sigs2
cat /tmp/sigs2 /tmp/nosuchfile
sh -c "echo nested sh"
echo status was not printed, exit follows
exit 3
echo not reached
